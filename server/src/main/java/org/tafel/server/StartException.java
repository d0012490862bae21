package org.tafel.server;

/** A service could not start: a port in use, a relay that refused its config. */
public final class StartException extends Exception {
  private static final long serialVersionUID = 1L;

  public StartException(String message) {
    super(message);
  }

  public StartException(String message, Throwable cause) {
    super(message, cause);
  }
}
