/**
 * Store-and-forward (DESIGN.md §4): the {@link org.tafel.signaling.delivery.GroupCommitter} (one
 * writer thread; concurrent sends, acks and expiry sweeps share one durable transaction, and {@code
 * sent} is answered only after it returns), the {@link org.tafel.signaling.delivery.Router} that
 * hands committed envelopes and {@code expired} receipts to online sessions, the {@link
 * org.tafel.signaling.delivery.ExpirySweeper}, and the per-identity send rate ({@link
 * org.tafel.signaling.delivery.TokenBucket}).
 */
package org.tafel.signaling.delivery;
