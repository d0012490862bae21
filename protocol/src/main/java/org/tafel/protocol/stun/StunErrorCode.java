package org.tafel.protocol.stun;

/**
 * A STUN error code and reason phrase (RFC 8489 §14.8 and §18.3, RFC 8656 §19). Known codes are
 * constants; {@link #valueOf(int)} keeps unknown codes instead of failing, so a decoded response
 * survives a code this version has never heard of.
 */
public final class StunErrorCode {
  public static final StunErrorCode TRY_ALTERNATE = new StunErrorCode(300, "Try Alternate");
  public static final StunErrorCode BAD_REQUEST = new StunErrorCode(400, "Bad Request");

  /** 401; RFC 8489 renamed the phrase from "Unauthorized" to "Unauthenticated". */
  public static final StunErrorCode UNAUTHORIZED = new StunErrorCode(401, "Unauthenticated");

  public static final StunErrorCode FORBIDDEN = new StunErrorCode(403, "Forbidden");
  public static final StunErrorCode UNKNOWN_ATTRIBUTE = new StunErrorCode(420, "Unknown Attribute");
  public static final StunErrorCode ALLOCATION_MISMATCH =
      new StunErrorCode(437, "Allocation Mismatch");
  public static final StunErrorCode STALE_NONCE = new StunErrorCode(438, "Stale Nonce");
  public static final StunErrorCode ADDRESS_FAMILY_NOT_SUPPORTED =
      new StunErrorCode(440, "Address Family not Supported");
  public static final StunErrorCode WRONG_CREDENTIALS = new StunErrorCode(441, "Wrong Credentials");
  public static final StunErrorCode UNSUPPORTED_TRANSPORT_PROTOCOL =
      new StunErrorCode(442, "Unsupported Transport Protocol");
  public static final StunErrorCode PEER_ADDRESS_FAMILY_MISMATCH =
      new StunErrorCode(443, "Peer Address Family Mismatch");
  public static final StunErrorCode ALLOCATION_QUOTA_REACHED =
      new StunErrorCode(486, "Allocation Quota Reached");
  public static final StunErrorCode SERVER_ERROR = new StunErrorCode(500, "Server Error");
  public static final StunErrorCode INSUFFICIENT_CAPACITY =
      new StunErrorCode(508, "Insufficient Capacity");

  private static final StunErrorCode[] KNOWN = {
    TRY_ALTERNATE,
    BAD_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    UNKNOWN_ATTRIBUTE,
    ALLOCATION_MISMATCH,
    STALE_NONCE,
    ADDRESS_FAMILY_NOT_SUPPORTED,
    WRONG_CREDENTIALS,
    UNSUPPORTED_TRANSPORT_PROTOCOL,
    PEER_ADDRESS_FAMILY_MISMATCH,
    ALLOCATION_QUOTA_REACHED,
    SERVER_ERROR,
    INSUFFICIENT_CAPACITY,
  };

  private final int code;
  private final String reason;

  private StunErrorCode(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  /**
   * The constant for a known code, or a new instance with reason {@code "Unknown"}.
   *
   * @throws IllegalArgumentException if the code is outside 300..699 (RFC 8489 §14.8)
   */
  public static StunErrorCode valueOf(int code) {
    for (StunErrorCode known : KNOWN) {
      if (known.code == code) {
        return known;
      }
    }
    return valueOf(code, "Unknown");
  }

  /**
   * A code with the given reason phrase (for example as received); known codes with their own
   * phrase return the constant.
   *
   * @throws IllegalArgumentException if the code is outside 300..699 (RFC 8489 §14.8)
   */
  public static StunErrorCode valueOf(int code, String reason) {
    if (code < 300 || code > 699) {
      throw new IllegalArgumentException("error code: " + code + " (expected: 300..699)");
    }
    for (StunErrorCode known : KNOWN) {
      if (known.code == code && known.reason.equals(reason)) {
        return known;
      }
    }
    return new StunErrorCode(code, reason);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** Hundreds digit, as carried in the Class field (3..6). */
  public int errorClass() {
    return code / 100;
  }

  /** Code modulo 100, as carried in the Number field. */
  public int number() {
    return code % 100;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StunErrorCode && ((StunErrorCode) o).code == code;
  }

  @Override
  public int hashCode() {
    return code;
  }

  @Override
  public String toString() {
    return code + " " + reason;
  }
}
