package org.tafel.relay.auth;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces (RFC 8489 §9.2): {@code base64url(expiry ‖ HMAC-SHA256(key, expiry ‖ client
 * IP)[0..12])}. Any relay node holding the same key verifies them, so nodes behind DNS share no
 * state. A nonce that fails for any reason — expired, forged, from another address — is stale.
 */
public final class NonceService {
  private static final int MAC_BYTES = 12;
  private final SecretKeySpec key;
  private final Clock clock;
  private final long lifetimeSeconds;
  private final ThreadLocal<Mac> macs;

  public NonceService(byte[] keyMaterial, Clock clock, Duration lifetime) {
    this.key = new SecretKeySpec(deriveKey(keyMaterial), "HmacSHA256");
    this.clock = clock;
    this.lifetimeSeconds = lifetime.toSeconds();
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private static byte[] deriveKey(byte[] material) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(material, "HmacSHA256"));
      return m.doFinal("tafel-turn-nonce-v1".getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh nonce for this client address. */
  public String issue(InetAddress client) {
    long expiry = clock.millis() / 1000 + lifetimeSeconds;
    byte[] out = new byte[8 + MAC_BYTES];
    ByteBuffer.wrap(out).putLong(expiry);
    System.arraycopy(mac(expiry, client), 0, out, 8, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /** True when the nonce was issued by a node with this key, to this address, and is unexpired. */
  public boolean verify(String nonce, InetAddress client) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (raw.length != 8 + MAC_BYTES) {
      return false;
    }
    long expiry = ByteBuffer.wrap(raw).getLong();
    if (expiry <= clock.millis() / 1000 || expiry > clock.millis() / 1000 + lifetimeSeconds) {
      return false;
    }
    byte[] expected = mac(expiry, client);
    byte[] got = new byte[MAC_BYTES];
    System.arraycopy(raw, 8, got, 0, MAC_BYTES);
    byte[] want = new byte[MAC_BYTES];
    System.arraycopy(expected, 0, want, 0, MAC_BYTES);
    return MessageDigest.isEqual(want, got);
  }

  private byte[] mac(long expiry, InetAddress client) {
    Mac m = macs.get();
    m.update(ByteBuffer.allocate(8).putLong(expiry).array());
    m.update(client.getAddress());
    return m.doFinal();
  }
}
