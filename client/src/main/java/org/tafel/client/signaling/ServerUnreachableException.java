package org.tafel.client.signaling;

import java.io.IOException;

/** No WebSocket connection to the signaling server could be made (or kept) in time. */
public final class ServerUnreachableException extends IOException {
  public ServerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
