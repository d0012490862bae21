package org.tafel.client.crypto;

/** A received envelope that is not accepted, with the reason. */
public final class MessageRejectedException extends Exception {

  /** Why an envelope was refused. */
  public enum Reason {
    /** The box did not open with the sender's pinned key (forged, modified, or wrong sender). */
    BAD_CIPHERTEXT,
    /** The plaintext is not the documented layout (or an unknown version). */
    MALFORMED,
    /** A type this client does not know. */
    UNKNOWN_TYPE,
    /** The message ID inside differs from the envelope's: a box re-sent under a new ID. */
    ID_MISMATCH,
    /** The type arrived in a queue class it must not travel in. */
    WRONG_QUEUE_CLASS,
    /** The send time is further in the future than the allowed clock skew. */
    FROM_THE_FUTURE,
    /** Older than its queue class allows (call setup after 60 s), or older than replay memory. */
    TOO_OLD,
    /**
     * This nonce was accepted before: a re-delivery (acknowledge it and drop it) or a replay by the
     * server.
     */
    REPLAYED
  }

  private final Reason reason;

  MessageRejectedException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
