package org.tafel.client.call.ice;

/** Connectivity checks found no working pair before the timeout. */
public final class IceFailedException extends Exception {
  public IceFailedException(String message) {
    super(message);
  }
}
