package org.tafel.client.signaling;

import java.io.IOException;
import org.tafel.protocol.signaling.CloseCodes;

/**
 * The session ended for good: another login of this identity took over ({@code replaced}, 4001),
 * the identity was revoked (4002), or the client was closed. The client does not reconnect.
 */
public final class SessionEndedException extends IOException {
  private final int closeCode;

  public SessionEndedException(int closeCode, String message) {
    super(message);
    this.closeCode = closeCode;
  }

  /** The WebSocket close code, or 1000 when the application closed the client. */
  public int closeCode() {
    return closeCode;
  }

  public boolean replaced() {
    return closeCode == CloseCodes.REPLACED;
  }
}
