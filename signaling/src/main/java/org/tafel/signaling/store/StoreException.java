package org.tafel.signaling.store;

/** The store failed (I/O, corruption, lock timeout); the operation did not take effect. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
