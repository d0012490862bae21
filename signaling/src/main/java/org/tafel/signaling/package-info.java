/**
 * The signaling service (DESIGN.md §3, §4; docs/protocol.md): {@link
 * org.tafel.signaling.SignalingServer} built from a {@link org.tafel.signaling.SignalingConfig},
 * serving a WebSocket at {@code /v1/ws} that authenticates identities and stores and forwards
 * end-to-end-encrypted envelopes it cannot read. {@link org.tafel.signaling.SignalingAdmin} is the
 * operator's view of the same store (licence codes, revocation), safe while the server runs.
 */
package org.tafel.signaling;
