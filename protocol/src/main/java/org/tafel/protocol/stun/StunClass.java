package org.tafel.protocol.stun;

/** The class of a STUN message (RFC 8489 §5): the two C bits of the message type. */
public enum StunClass {
  REQUEST,
  INDICATION,
  SUCCESS_RESPONSE,
  ERROR_RESPONSE;

  private static final StunClass[] BY_BITS = values();

  /** The two class bits as a number 0..3 (C1 C0). */
  public int bits() {
    return ordinal();
  }

  static StunClass ofBits(int bits) {
    return BY_BITS[bits & 3];
  }
}
