package org.tafel.protocol.signaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Frames the server sends (docs/protocol.md). Answers carry the request's {@code id}; pushed frames
 * ({@code deliver}, {@code expired}) have none. Times are Unix milliseconds.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ServerFrame.Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = ServerFrame.Registered.class, name = "registered"),
  @JsonSubTypes.Type(value = ServerFrame.Welcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = ServerFrame.Sent.class, name = "sent"),
  @JsonSubTypes.Type(value = ServerFrame.Deliver.class, name = "deliver"),
  @JsonSubTypes.Type(value = ServerFrame.Acked.class, name = "acked"),
  @JsonSubTypes.Type(value = ServerFrame.Expired.class, name = "expired"),
  @JsonSubTypes.Type(value = ServerFrame.Key.class, name = "key"),
  @JsonSubTypes.Type(value = ServerFrame.TurnCredentials.class, name = "turn-credentials"),
  @JsonSubTypes.Type(value = ServerFrame.UploadToken.class, name = "upload-token"),
  @JsonSubTypes.Type(value = ServerFrame.Discovered.class, name = "discovered"),
  @JsonSubTypes.Type(value = ServerFrame.FindableSet.class, name = "findable-set"),
  @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerFrame {

  /**
   * Answer to {@code hello}: the server's long-term key and its proof, this connection's ephemeral
   * key and challenge, and how registration works here ({@code "licence"} or {@code "open"} with
   * {@code powBits}).
   */
  record Hello(
      String id,
      int v,
      byte[] serverKey,
      byte[] ephemeral,
      byte[] challenge,
      byte[] proof,
      String registration,
      Integer powBits)
      implements ServerFrame {}

  /** Registration succeeded; the connection is now logged in as {@code identity}. */
  record Registered(String id, String identity, byte[] discoveryKey) implements ServerFrame {}

  /** Login succeeded; queued envelopes and receipts follow as {@code deliver}/{@code expired}. */
  record Welcome(String id, String identity, byte[] discoveryKey) implements ServerFrame {}

  /** The envelope is durable (or, for queue {@code none}, handed on) for every recipient. */
  record Sent(String id, byte[] messageId) implements ServerFrame {}

  /** An envelope for this session; acknowledge with {@code ack{messageId}}. */
  record Deliver(
      byte[] messageId, String sender, byte[] nonce, byte[] box, QueueClass queue, long arrived)
      implements ServerFrame {}

  record Acked(String id, byte[] messageId) implements ServerFrame {}

  /**
   * Content-free receipt: the envelope {@code messageId} to {@code recipient} expired undelivered.
   * Acknowledge with {@code ack{messageId, recipient}}.
   */
  record Expired(byte[] messageId, String recipient) implements ServerFrame {}

  record Key(String id, String identity, byte[] publicKey) implements ServerFrame {}

  /**
   * Relay credentials (TURN REST): {@code username} is {@code expiry:pseudonym}, valid until {@code
   * expires} (Unix seconds).
   */
  record TurnCredentials(
      String id, List<String> urls, String username, String password, long expires)
      implements ServerFrame {}

  /** A {@code ut1} upload token and its expiry (Unix seconds). */
  record UploadToken(String id, String token, long expires) implements ServerFrame {}

  /** One discovery match. */
  record Match(byte[] hash, String identity, byte[] publicKey) {}

  record Discovered(String id, List<Match> matches) implements ServerFrame {}

  /** The findable hashes were replaced; {@code count} are now held. */
  record FindableSet(String id, int count) implements ServerFrame {}

  record Error(String id, String code, String message) implements ServerFrame {
    public Error(String id, ErrorCode code, String message) {
      this(id, code.wire(), message);
    }
  }
}
