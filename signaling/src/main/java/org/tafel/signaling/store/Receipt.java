package org.tafel.signaling.store;

/**
 * A content-free {@code expired} receipt for {@code owner} (the envelope's sender): the envelope
 * {@code messageId} to {@code recipient} expired unacknowledged.
 */
public record Receipt(String owner, byte[] messageId, String recipient, long expires) {}
