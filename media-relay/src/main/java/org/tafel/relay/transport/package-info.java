/**
 * Client transports (RFC 8656 §3.1) and relay sockets: UDP with one listener per event loop on the
 * same port (SO_REUSEPORT with native epoll), TCP and TLS with RFC 8656 §12.5 framing. With epoll
 * and an IPv4 bind address UDP takes the native path ({@link org.tafel.relay.transport.NativeUdp}:
 * batched {@code recvmmsg}/{@code sendmmsg} into a per-loop {@link
 * org.tafel.relay.transport.NativeArena}, no object per datagram); otherwise Netty datagram
 * channels.
 */
package org.tafel.relay.transport;
