/**
 * The signaling client (docs/protocol.md, DESIGN.md §3, §4): a WebSocket session that pins the
 * server's key, registers or logs in with the transcript MAC of {@link
 * org.tafel.protocol.signaling.Handshake}, sends sealed envelopes durably (awaiting {@code sent},
 * retrying with the same message ID after a reconnect), receives, opens, deduplicates and
 * acknowledges them, surfaces {@code expired} receipts, and reconnects with exponential backoff and
 * jitter, except after a {@code replaced} or {@code revoked} close (RFC 6455 close codes 4001,
 * 4002).
 */
package org.tafel.client.signaling;
