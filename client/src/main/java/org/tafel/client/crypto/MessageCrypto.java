package org.tafel.client.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seals and opens end-to-end messages (DESIGN.md §4). The sealed plaintext repeats the message ID,
 * the type and the send time; {@link #open} checks them against the envelope header, the clock and
 * the replay memory, and checks the sender's key against its pin. Layout ({@code docs/client.md}),
 * big-endian:
 *
 * <pre>
 *   u8  version = 1
 *   16  message ID (equals the envelope's)
 *   i64 send time, milliseconds since 1970 UTC
 *   u8  type length L (1..32), then L bytes of ASCII type ("text", "call-offer", ...)
 *   u32 body length B, then B bytes of body
 *   zero bytes up to the next multiple of 256 (hides the exact length)
 * </pre>
 *
 * The whole is sealed with {@code crypto_box_easy} from the sender's identity key to the
 * recipient's under a random 24-byte nonce.
 */
public final class MessageCrypto {
  public static final int VERSION = 1;
  public static final int MESSAGE_ID_BYTES = 16;

  /** Envelope ciphertexts are at most 64 KiB (DESIGN.md §4). */
  public static final int MAX_CIPHERTEXT = 64 * 1024;

  static final int PAD_TO = 256;
  static final int MAX_PLAINTEXT = (MAX_CIPHERTEXT - Box.MAC_BYTES) / PAD_TO * PAD_TO;
  private static final int FIXED_HEADER = 1 + MESSAGE_ID_BYTES + 8 + 1 + 4;

  /** How far clocks may disagree, and how long call setup stays valid. */
  public record Limits(Duration clockSkew, Duration shortLivedMaxAge) {
    public Limits {
      if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: 0s..1h)");
      }
      if (shortLivedMaxAge.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "shortLivedMaxAge: " + shortLivedMaxAge + " (expected: >= 1s)");
      }
    }

    /** Five minutes of skew; call setup valid 60 s, the short-lived queue's limit. */
    public static Limits defaults() {
      return new Limits(Duration.ofMinutes(5), Duration.ofSeconds(60));
    }
  }

  private final Profile profile;
  private final ReplayGuard replay;
  private final Clock clock;
  private final SecureRandom random;
  private final Limits limits;

  public MessageCrypto(
      Profile profile, ReplayGuard replay, Clock clock, SecureRandom random, Limits limits) {
    this.profile = profile;
    this.replay = replay;
    this.clock = clock;
    this.random = random;
    this.limits = limits;
  }

  /** The largest body that fits one envelope with a type name of {@code typeLength} bytes. */
  public static int maxBody(int typeLength) {
    return MAX_PLAINTEXT - FIXED_HEADER - typeLength;
  }

  /**
   * Seals {@code body} to {@code recipientId}, whose key (from the directory) is pinned on first
   * use and must equal the pin afterwards.
   */
  public SealedMessage seal(String recipientId, byte[] recipientKey, MessageType type, byte[] body)
      throws KeyChangedException, ProfileException {
    return sealForAll(List.of(new Recipient(recipientId, recipientKey)), type, body)
        .get(recipientId);
  }

  /** A recipient and the public key the directory returned for it. */
  public record Recipient(String id, byte[] publicKey) {}

  /**
   * One message to several recipients (DESIGN.md §4 multi-recipient send): one message ID and send
   * time, one box with its own nonce per recipient. Every recipient's key is checked against its
   * pin before anything is sealed.
   *
   * @return the sealed message per recipient ID, in the order given
   */
  public Map<String, SealedMessage> sealForAll(
      List<Recipient> recipients, MessageType type, byte[] body)
      throws KeyChangedException, ProfileException {
    byte[] typeName = type.wireName().getBytes(StandardCharsets.US_ASCII);
    if (body.length > maxBody(typeName.length)) {
      throw new IllegalArgumentException(
          "body: " + body.length + " bytes (expected: <= " + maxBody(typeName.length) + ")");
    }
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("recipients: none (expected: at least one)");
    }
    for (Recipient r : recipients) {
      profile.pinContact(r.id(), r.publicKey());
    }
    byte[] id = new byte[MESSAGE_ID_BYTES];
    random.nextBytes(id);
    int unpadded = FIXED_HEADER + typeName.length + body.length;
    ByteBuffer p = ByteBuffer.allocate((unpadded + PAD_TO - 1) / PAD_TO * PAD_TO);
    p.put((byte) VERSION)
        .put(id)
        .putLong(clock.millis())
        .put((byte) typeName.length)
        .put(typeName)
        .putInt(body.length)
        .put(body);
    Map<String, SealedMessage> out = new LinkedHashMap<>();
    try {
      for (Recipient r : recipients) {
        byte[] nonce = new byte[Box.NONCE_BYTES];
        random.nextBytes(nonce);
        Box box = new Box(profile.keyPair(), r.publicKey());
        try {
          out.put(
              r.id(),
              new SealedMessage(id.clone(), nonce, type.queueClass(), box.seal(nonce, p.array())));
        } finally {
          box.destroy();
        }
      }
    } finally {
      java.util.Arrays.fill(p.array(), (byte) 0);
    }
    return out;
  }

  /**
   * Opens an envelope from {@code header.senderId()} whose key the directory gave as {@code
   * senderKey} (pinned on first use, checked afterwards).
   *
   * @throws MessageRejectedException with the reason; {@code REPLAYED} means a re-delivery to
   *     acknowledge and drop
   * @throws java.io.UncheckedIOException if a persistent replay memory cannot be written (the
   *     message is then not accepted and must not be acknowledged)
   */
  public OpenedMessage open(EnvelopeHeader header, byte[] senderKey, byte[] ciphertext)
      throws MessageRejectedException, KeyChangedException, ProfileException {
    profile.pinContact(header.senderId(), senderKey);
    byte[] plain;
    Box box = new Box(profile.keyPair(), senderKey);
    try {
      plain = box.open(header.nonce(), ciphertext);
    } catch (DecryptionFailedException | IllegalArgumentException e) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_CIPHERTEXT,
          "the box does not open with the sender's pinned key");
    } finally {
      box.destroy();
    }
    ByteBuffer p = ByteBuffer.wrap(plain);
    if (plain.length < FIXED_HEADER || plain.length % PAD_TO != 0) {
      throw malformed("plaintext of " + plain.length + " bytes");
    }
    int version = p.get() & 0xff;
    if (version != VERSION) {
      throw malformed("version " + version + " (expected: " + VERSION + ")");
    }
    byte[] id = new byte[MESSAGE_ID_BYTES];
    p.get(id);
    long sentAt = p.getLong();
    int typeLength = p.get() & 0xff;
    if (typeLength < 1 || typeLength > 32 || p.remaining() < typeLength + 4) {
      throw malformed("type length " + typeLength);
    }
    byte[] typeName = new byte[typeLength];
    p.get(typeName);
    int bodyLength = p.getInt();
    if (bodyLength < 0 || bodyLength > p.remaining()) {
      throw malformed("body length " + bodyLength + ", " + p.remaining() + " bytes left");
    }
    byte[] body = new byte[bodyLength];
    p.get(body);
    while (p.hasRemaining()) {
      if (p.get() != 0) {
        throw malformed("non-zero padding");
      }
    }
    if (!MessageDigest.isEqual(id, header.messageId())) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.ID_MISMATCH,
          "the sealed message ID differs from the envelope's");
    }
    String name = new String(typeName, StandardCharsets.US_ASCII);
    Optional<MessageType> type = MessageType.fromWireName(name);
    if (type.isEmpty()) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.UNKNOWN_TYPE, "type " + sanitize(name));
    }
    if (type.get().queueClass() != header.queueClass()) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.WRONG_QUEUE_CLASS,
          type.get().wireName()
              + " arrived in queue class "
              + header.queueClass()
              + " (expected: "
              + type.get().queueClass()
              + ")");
    }
    long now = clock.millis();
    if (sentAt > now + limits.clockSkew().toMillis()) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.FROM_THE_FUTURE,
          "sent " + (sentAt - now) + " ms in the future");
    }
    if (type.get().queueClass() == QueueClass.SHORT_LIVED
        && sentAt < now - limits.shortLivedMaxAge().toMillis() - limits.clockSkew().toMillis()) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.TOO_OLD,
          type.get().wireName() + " sent " + (now - sentAt) / 1000 + " s ago");
    }
    replay.accept(header.senderId(), header.nonce(), sentAt);
    java.util.Arrays.fill(plain, (byte) 0);
    return new OpenedMessage(id, header.senderId(), type.get(), Instant.ofEpochMilli(sentAt), body);
  }

  private static MessageRejectedException malformed(String detail) {
    return new MessageRejectedException(MessageRejectedException.Reason.MALFORMED, detail);
  }

  private static String sanitize(String s) {
    return s.replaceAll("[^a-z0-9-]", "?");
  }
}
