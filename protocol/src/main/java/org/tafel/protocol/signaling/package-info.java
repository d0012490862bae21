/**
 * The signaling protocol's wire format and login math (DESIGN.md §3, §4; docs/protocol.md): JSON
 * text frames over WebSocket ({@link org.tafel.protocol.signaling.ClientFrame}, {@link
 * org.tafel.protocol.signaling.ServerFrame}, {@link org.tafel.protocol.signaling.FrameCodec}),
 * error and close codes, the authenticated key exchange of a login or registration ({@link
 * org.tafel.protocol.signaling.Handshake}: X25519 per RFC 7748, HKDF-SHA256 per RFC 5869,
 * HMAC-SHA256 per RFC 2104), the registration proof-of-work, and the normalisation and keyed
 * hashing of contact-discovery probes ({@link org.tafel.protocol.signaling.ContactDiscovery}). Used
 * by the server and by every client, so the math exists once.
 */
package org.tafel.protocol.signaling;
