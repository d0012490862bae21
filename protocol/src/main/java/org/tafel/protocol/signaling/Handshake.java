package org.tafel.protocol.signaling;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The authenticated key exchange of a signaling connection (DESIGN.md §3, docs/protocol.md
 * "Login"). Both sides contribute an ephemeral X25519 key; the server adds a random challenge and
 * proves its long-term key; the client proves its identity key with a MAC over the whole
 * transcript, never by boxing bytes the server chose.
 *
 * <pre>
 * transcript(label, subject) = label ‖ 0x00 ‖ clientEphemeral ‖ serverEphemeral ‖ challenge
 *                              ‖ serverKey ‖ u16be(len(subject)) ‖ subject
 * HKDF(ikm, label)           = HKDF-SHA256(salt = empty, ikm, info = label), 32 bytes
 *
 * server proof = HMAC-SHA256(HKDF(X25519(serverSecret, clientEphemeral), "tafel-server-v1"),
 *                            transcript("tafel-server-v1", empty))
 * client mac   = HMAC-SHA256(HKDF(X25519(identitySecret, serverEphemeral)
 *                                 ‖ X25519(clientEphemeralSecret, serverEphemeral), label),
 *                            transcript(label, subject))
 *   login:    label "tafel-login-v1",    subject = identity ID (8 ASCII characters)
 *   register: label "tafel-register-v1", subject = identity public key (32 bytes)
 * </pre>
 *
 * <p>The server computes the same keys from its side of each agreement. Because the challenge and
 * both ephemerals are fresh per connection, a MAC replayed on another connection, or relayed from
 * one connection to another, does not verify.
 */
public final class Handshake {
  public static final int VERSION = 1;
  public static final int CHALLENGE_BYTES = 32;
  public static final int MAC_BYTES = 32;
  public static final String LABEL_SERVER = "tafel-server-v1";
  public static final String LABEL_LOGIN = "tafel-login-v1";
  public static final String LABEL_REGISTER = "tafel-register-v1";

  private Handshake() {}

  /**
   * The public values both sides know once the server has answered {@code hello}.
   *
   * @param clientEphemeral the client's ephemeral public key
   * @param serverEphemeral the server's ephemeral public key
   * @param challenge the server's 32 random bytes
   * @param serverKey the server's long-term public key
   */
  public record Transcript(
      byte[] clientEphemeral, byte[] serverEphemeral, byte[] challenge, byte[] serverKey) {
    public Transcript {
      X25519.checkLength("clientEphemeral", clientEphemeral);
      X25519.checkLength("serverEphemeral", serverEphemeral);
      X25519.checkLength("serverKey", serverKey);
      Objects.requireNonNull(challenge, "challenge");
      if (challenge.length != CHALLENGE_BYTES) {
        throw new IllegalArgumentException(
            "challenge: " + challenge.length + " bytes (expected: " + CHALLENGE_BYTES + ")");
      }
      clientEphemeral = clientEphemeral.clone();
      serverEphemeral = serverEphemeral.clone();
      challenge = challenge.clone();
      serverKey = serverKey.clone();
    }

    /** The bytes a MAC with {@code label} covers. */
    public byte[] bytes(String label, byte[] subject) {
      if (subject.length > 0xffff) {
        throw new IllegalArgumentException(
            "subject: " + subject.length + " bytes (expected: <= 65535)");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(200);
      out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
      out.write(0);
      out.writeBytes(clientEphemeral);
      out.writeBytes(serverEphemeral);
      out.writeBytes(challenge);
      out.writeBytes(serverKey);
      out.write(subject.length >>> 8);
      out.write(subject.length & 0xff);
      out.writeBytes(subject);
      return out.toByteArray();
    }
  }

  /** The login subject: the identity ID as ASCII. */
  public static byte[] loginSubject(String identity) {
    return identity.getBytes(StandardCharsets.US_ASCII);
  }

  /** Server side: proves the long-term key to the client. */
  public static byte[] serverProof(byte[] serverSecret, Transcript t) {
    byte[] key = hkdf(X25519.agree(serverSecret, t.clientEphemeral()), LABEL_SERVER);
    return hmac(key, t.bytes(LABEL_SERVER, new byte[0]));
  }

  /**
   * Client side: true when {@code proof} shows the server holds the secret of {@code t.serverKey}.
   */
  public static boolean verifyServerProof(
      byte[] clientEphemeralSecret, Transcript t, byte[] proof) {
    byte[] key = hkdf(X25519.agree(clientEphemeralSecret, t.serverKey()), LABEL_SERVER);
    return proof != null
        && MessageDigest.isEqual(proof, hmac(key, t.bytes(LABEL_SERVER, new byte[0])));
  }

  /** Client side: the MAC proving the identity key for {@code label} and {@code subject}. */
  public static byte[] clientMac(
      String label,
      byte[] identitySecret,
      byte[] clientEphemeralSecret,
      Transcript t,
      byte[] subject) {
    byte[] ikm =
        concat(
            X25519.agree(identitySecret, t.serverEphemeral()),
            X25519.agree(clientEphemeralSecret, t.serverEphemeral()));
    return hmac(hkdf(ikm, label), t.bytes(label, subject));
  }

  /**
   * Server side: true when {@code mac} proves the secret of {@code identityPublic}. False also for
   * a low-order identity key.
   */
  public static boolean verifyClientMac(
      String label,
      byte[] serverEphemeralSecret,
      byte[] identityPublic,
      Transcript t,
      byte[] subject,
      byte[] mac) {
    if (mac == null || mac.length != MAC_BYTES) {
      return false;
    }
    byte[] ikm;
    try {
      ikm =
          concat(
              X25519.agree(serverEphemeralSecret, identityPublic),
              X25519.agree(serverEphemeralSecret, t.clientEphemeral()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac, hmac(hkdf(ikm, label), t.bytes(label, subject)));
  }

  /** HKDF-SHA256 (RFC 5869) with an empty salt and {@code label} as info, 32 bytes. */
  public static byte[] hkdf(byte[] ikm, String label) {
    return hkdf(ikm, new byte[0], label.getBytes(StandardCharsets.US_ASCII), 32);
  }

  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }

  /** HMAC-SHA256 (RFC 2104). */
  public static byte[] hmac(byte[] key, byte[] data) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(data, 0, data.length);
    byte[] out = new byte[MAC_BYTES];
    mac.doFinal(out, 0);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
