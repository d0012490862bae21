package org.tafel.signaling.store;

/**
 * An identity: an 8-character ID bound to an X25519 public key.
 *
 * @param id {@code [A-Z0-9]{8}}
 * @param publicKey 32 bytes
 * @param created Unix milliseconds
 */
public record Identity(String id, byte[] publicKey, long created) {}
