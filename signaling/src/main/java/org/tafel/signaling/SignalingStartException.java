package org.tafel.signaling;

/** The signaling server could not start; the message names the key or port. */
public final class SignalingStartException extends Exception {
  public SignalingStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
