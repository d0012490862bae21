package org.tafel.relay;

/** The relay could not start: a port in use, an unreadable certificate. The message says which. */
public final class RelayStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public RelayStartException(String message) {
    super(message);
  }

  public RelayStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
