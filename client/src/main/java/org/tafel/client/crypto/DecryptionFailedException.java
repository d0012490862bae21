package org.tafel.client.crypto;

/**
 * A box, secret box or file chunk did not authenticate: wrong key, wrong nonce, or bytes changed.
 * Carries no detail on purpose; any of these looks the same to the caller.
 */
public final class DecryptionFailedException extends Exception {
  public DecryptionFailedException(String what) {
    super(what + " did not authenticate (wrong key, wrong nonce or modified bytes)");
  }
}
