package org.tafel.client.crypto;

/**
 * The routing header of a received envelope, as the server delivered it: what {@link
 * MessageCrypto#open} checks the sealed plaintext against.
 */
public record EnvelopeHeader(
    byte[] messageId, String senderId, byte[] nonce, QueueClass queueClass) {}
