package org.tafel.client;

/** The call did not connect: declined, missed (the offer expired undelivered), or not answered. */
public final class CallNotAnsweredException extends Exception {
  /** Why. */
  public enum Reason {
    /** The callee declined ({@code call-hangup} reason {@code declined}) or was busy. */
    DECLINED,
    /** The offer expired undelivered: the callee was offline for its 60 s lifetime. */
    MISSED,
    /** Delivered (maybe ringing) but not answered in time; the caller cancelled. */
    NO_ANSWER,
    /** The callee hung up with {@code failed}, or ICE did not connect. */
    FAILED
  }

  private final Reason reason;

  public CallNotAnsweredException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
