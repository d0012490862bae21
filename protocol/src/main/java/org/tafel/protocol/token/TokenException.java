package org.tafel.protocol.token;

/** An upload token that is not accepted, with the reason (for counters, never for the client). */
public final class TokenException extends Exception {
  private final Reason reason;

  public TokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Why a token was refused; the name in lower case is the metric label. */
  public enum Reason {
    MALFORMED,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    EXPIRED,
    TOO_LONG_LIVED
  }
}
