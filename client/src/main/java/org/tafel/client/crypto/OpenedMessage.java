package org.tafel.client.crypto;

import java.time.Instant;

/** A received message that authenticated and passed every check of {@link MessageCrypto#open}. */
public record OpenedMessage(
    byte[] messageId, String senderId, MessageType type, Instant sentAt, byte[] body) {}
