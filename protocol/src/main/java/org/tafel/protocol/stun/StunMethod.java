package org.tafel.protocol.stun;

/**
 * STUN/TURN method numbers (IANA "STUN Methods" registry; RFC 8489 §18.2, RFC 8656 §17) and the
 * message-type bit interleaving of RFC 8489 §5.
 */
public final class StunMethod {
  public static final int BINDING = 0x001;
  public static final int ALLOCATE = 0x003;
  public static final int REFRESH = 0x004;
  public static final int SEND = 0x006;
  public static final int DATA = 0x007;
  public static final int CREATE_PERMISSION = 0x008;
  public static final int CHANNEL_BIND = 0x009;

  private StunMethod() {}

  /**
   * Combines a 12-bit method and a class into the 14-bit message type (RFC 8489 §5, Figure 3).
   *
   * @throws IllegalArgumentException if the method does not fit in 12 bits
   */
  public static int messageType(int method, StunClass cls) {
    if (method < 0 || method > 0xFFF) {
      throw new IllegalArgumentException(
          "method: 0x" + Integer.toHexString(method) + " (expected: 0x000..0xFFF)");
    }
    int c = cls.bits();
    return (method & 0x000F)
        | ((method & 0x0070) << 1)
        | ((method & 0x0F80) << 2)
        | ((c & 1) << 4)
        | ((c & 2) << 7);
  }

  /** The 12-bit method of a message type. */
  public static int methodOf(int messageType) {
    return (messageType & 0x000F) | ((messageType >> 1) & 0x0070) | ((messageType >> 2) & 0x0F80);
  }

  /** The class of a message type. */
  public static StunClass classOf(int messageType) {
    return StunClass.ofBits(((messageType >> 4) & 1) | ((messageType >> 7) & 2));
  }

  /** The registry name of a method, or {@code "0x..."} for an unknown one. */
  public static String name(int method) {
    switch (method) {
      case BINDING:
        return "Binding";
      case ALLOCATE:
        return "Allocate";
      case REFRESH:
        return "Refresh";
      case SEND:
        return "Send";
      case DATA:
        return "Data";
      case CREATE_PERMISSION:
        return "CreatePermission";
      case CHANNEL_BIND:
        return "ChannelBind";
      default:
        return String.format("0x%03X", method);
    }
  }
}
