/**
 * IP address ranges and the peer policy's view of them.
 *
 * <p>{@link org.tafel.protocol.net.Cidr} parses and matches the {@code --allow-peer} ranges; {@link
 * org.tafel.protocol.net.SpecialPurposeAddresses} implements the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries (RFC 6890, RFC 8190) that the media relay uses to refuse peers that are not
 * globally reachable (DESIGN.md §5, RFC 8656 §21 "Security Considerations"). IPv4 addresses
 * embedded in IPv6 forms (RFC 4291 §2.5.5, RFC 6052 §2.1, RFC 3056 §2) are checked as IPv4.
 *
 * <p>Everything here is pure and allocation-free on the {@code int}/{@code long} entry points, so
 * it can run per datagram.
 */
package org.tafel.protocol.net;
