package org.tafel.client.crypto;

/**
 * What {@link MessageCrypto#seal} produces for the envelope: the message ID (16 random bytes), the
 * box nonce (24 random bytes), the queue class the type requires, and the ciphertext ({@code
 * crypto_box_easy} of the plaintext layout in docs/client.md).
 */
public record SealedMessage(
    byte[] messageId, byte[] nonce, QueueClass queueClass, byte[] ciphertext) {}
