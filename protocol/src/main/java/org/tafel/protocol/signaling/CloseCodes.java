package org.tafel.protocol.signaling;

/** WebSocket close codes the signaling server uses (RFC 6455 §7.4; 4000-4999 are private). */
public final class CloseCodes {
  /** RFC 6455: a frame or message exceeds the server's limit (docs/protocol.md "Limits"). */
  public static final int MESSAGE_TOO_BIG = 1009;

  /** RFC 6455: a binary message; the protocol is text frames only. */
  public static final int UNSUPPORTED_DATA = 1003;

  /**
   * {@code replaced}: another connection logged in as the same identity. A client that receives it
   * stops reconnecting, so two processes never kick each other out forever.
   */
  public static final int REPLACED = 4001;

  /** {@code revoked}: the identity was revoked; do not reconnect with it. */
  public static final int REVOKED = 4002;

  /** {@code idle}: nothing was received for the idle timeout (send WebSocket pings). */
  public static final int IDLE = 4003;

  /**
   * {@code login-timeout}: the connection neither registered nor logged in within the login timeout
   * (30 s) of opening; reconnect and log in at once.
   */
  public static final int LOGIN_TIMEOUT = 4004;

  private CloseCodes() {}
}
