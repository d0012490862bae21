package org.tafel.protocol.signaling;

/**
 * The {@code code} of an {@code error} frame (docs/protocol.md "Errors"). Each refusal has its own
 * code; the {@code message} beside it is for humans and may change.
 */
public enum ErrorCode {
  MALFORMED("malformed", "the frame is not valid JSON, lacks a field, or a field is invalid"),
  UNKNOWN_TYPE("unknown-type", "the frame's type is not one this server knows"),
  UNSUPPORTED_VERSION("unsupported-version", "hello.v is not a protocol version of this server"),
  HELLO_REQUIRED("hello-required", "the first frame of a connection must be hello"),
  NOT_AUTHENTICATED("not-authenticated", "the request needs a logged-in session"),
  ALREADY_AUTHENTICATED("already-authenticated", "this connection is already logged in"),
  CHALLENGE_USED(
      "challenge-used", "this connection's challenge was already used by a login or register"),
  BAD_LOGIN("bad-login", "the login MAC does not verify (wrong key, replayed or relayed)"),
  UNKNOWN_IDENTITY("unknown-identity", "no active identity has this ID"),
  REVOKED("revoked", "the identity of this session has been revoked"),
  BAD_LICENCE("bad-licence", "the licence code is unknown, used or revoked"),
  BAD_PROOF_OF_WORK("bad-proof-of-work", "the proof-of-work does not have enough zero bits"),
  REGISTRATION_LIMITED(
      "registration-limited", "too many registrations from this network address; retry later"),
  UNKNOWN_RECIPIENT("unknown-recipient", "a recipient of the send is not an active identity"),
  TOO_LARGE("too-large", "a box is larger than 65,536 bytes"),
  TOO_MANY_RECIPIENTS("too-many-recipients", "the send names more recipients than allowed"),
  QUEUE_FULL("queue-full", "a recipient's queue holds the maximum number of envelopes"),
  RATE_LIMITED("rate-limited", "this identity sends faster than its rate; retry later"),
  MESSAGE_ID_TAKEN(
      "message-id-taken", "another sender's queued envelope to this recipient has this message ID"),
  DISCOVERY_BUDGET("discovery-budget", "this identity's daily budget of new probes is spent"),
  UNAVAILABLE("unavailable", "the service this request needs is not configured"),
  INTERNAL("internal", "the server failed; the request may be retried");

  private final String wire;
  private final String description;

  ErrorCode(String wire, String description) {
    this.wire = wire;
    this.description = description;
  }

  /** The text on the wire. */
  public String wire() {
    return wire;
  }

  public String description() {
    return description;
  }

  /** The code with this wire text, or null for one this build does not know. */
  public static ErrorCode ofWire(String wire) {
    for (ErrorCode c : values()) {
      if (c.wire.equals(wire)) {
        return c;
      }
    }
    return null;
  }
}
