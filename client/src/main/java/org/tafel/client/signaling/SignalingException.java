package org.tafel.client.signaling;

import org.tafel.protocol.signaling.ErrorCode;

/** The server refused a request: {@link #code()} is its error code (docs/protocol.md §7). */
public class SignalingException extends Exception {
  private final ErrorCode code;
  private final String wireCode;

  public SignalingException(String wireCode, String message) {
    super(wireCode + ": " + message);
    this.wireCode = wireCode;
    this.code = ErrorCode.ofWire(wireCode);
  }

  /** The error code, or null for a code this client does not know. */
  public ErrorCode code() {
    return code;
  }

  public String wireCode() {
    return wireCode;
  }
}
