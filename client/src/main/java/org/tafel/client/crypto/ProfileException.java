package org.tafel.client.crypto;

/** A profile directory that cannot be used: missing, unreadable, malformed or too open. */
public final class ProfileException extends Exception {
  public ProfileException(String message) {
    super(message);
  }

  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
