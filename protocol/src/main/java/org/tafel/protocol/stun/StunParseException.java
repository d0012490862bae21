package org.tafel.protocol.stun;

/**
 * A datagram or attribute is not valid STUN. Carries a {@link Reason}; carries no stack trace, so
 * throwing it costs little, and the hot path throws the preallocated {@link #of(Reason)} instances.
 */
public final class StunParseException extends Exception {
  /** Why parsing failed. */
  public enum Reason {
    TOO_SHORT("at least 20 bytes (STUN header)"),
    NOT_STUN("first two bits 00"),
    BAD_MAGIC_COOKIE("magic cookie 0x2112A442"),
    BAD_LENGTH("length field a multiple of 4 and equal to the message size - 20"),
    ATTRIBUTE_OVERRUN("each attribute, padded to 4 bytes, inside the message"),
    TOO_MANY_ATTRIBUTES("at most " + StunMessage.MAX_ATTRIBUTES + " attributes"),
    BAD_ATTRIBUTE_VALUE("an attribute value of the length and form its type defines"),
    BAD_FINGERPRINT("FINGERPRINT of length 4 matching CRC-32 of the message XOR 0x5354554E");

    private final String expected;

    Reason(String expected) {
      this.expected = expected;
    }

    /** What a valid message has instead. */
    public String expected() {
      return expected;
    }
  }

  private static final StunParseException[] PREALLOCATED =
      new StunParseException[Reason.values().length];

  static {
    for (Reason r : Reason.values()) {
      PREALLOCATED[r.ordinal()] = new StunParseException(r, "expected: " + r.expected());
    }
  }

  private final Reason reason;

  /**
   * @param message what was expected and what came, e.g. {@code "CHANNEL-NUMBER length: 2
   *     (expected: 4)"}
   */
  public StunParseException(Reason reason, String message) {
    super(reason + ": " + message, null, false, false);
    this.reason = reason;
  }

  /** The shared, immutable instance for a reason; its message states only the expectation. */
  public static StunParseException of(Reason reason) {
    return PREALLOCATED[reason.ordinal()];
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
