package org.tafel.protocol.signaling;

/** A frame that cannot be decoded or accepted, with the error code to answer. */
public final class FrameException extends Exception {
  private final ErrorCode code;
  private final String requestId;

  public FrameException(ErrorCode code, String message, String requestId) {
    super(message);
    this.code = code;
    this.requestId = requestId;
  }

  public ErrorCode code() {
    return code;
  }

  /** The frame's {@code id} if it could be read, else null. */
  public String requestId() {
    return requestId;
  }
}
