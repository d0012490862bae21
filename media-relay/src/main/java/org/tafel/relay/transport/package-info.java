/**
 * Client transports (RFC 8656 §3.1): UDP with one listener channel per event loop on the same port
 * (SO_REUSEPORT with native epoll), TCP and TLS with RFC 8656 §12.5 framing.
 */
package org.tafel.relay.transport;
