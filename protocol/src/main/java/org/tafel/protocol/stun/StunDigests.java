package org.tafel.protocol.stun;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC and CRC-32 over a region of a {@code ByteBuf} as received, with the header's length field
 * replaced (RFC 8489 §14.5–§14.7). Per-thread {@link Mac} instances; the key is re-initialised only
 * when it changes.
 */
final class StunDigests {
  static final int FINGERPRINT_XOR = 0x5354554E;
  static final int SHA1_LENGTH = 20;
  static final int SHA256_LENGTH = 32;

  private static final ThreadLocal<KeyedMac> HMAC_SHA1 =
      ThreadLocal.withInitial(() -> new KeyedMac("HmacSHA1"));
  private static final ThreadLocal<KeyedMac> HMAC_SHA256 =
      ThreadLocal.withInitial(() -> new KeyedMac("HmacSHA256"));
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[512]);

  private StunDigests() {}

  static Mac hmacSha1(byte[] key) {
    return HMAC_SHA1.get().withKey(key);
  }

  static Mac hmacSha256(byte[] key) {
    return HMAC_SHA256.get().withKey(key);
  }

  /** A per-thread scratch array of at least 32 bytes for MAC outputs. */
  static byte[] scratch() {
    return SCRATCH.get();
  }

  /**
   * Feeds {@code buf[start, end)} to the MAC with bytes {@code start+2..start+3} replaced by {@code
   * lengthField}.
   */
  static void update(Mac mac, ByteBuf buf, int start, int end, int lengthField) {
    updateRegion(mac, null, buf, start, start + 2);
    mac.update((byte) (lengthField >>> 8));
    mac.update((byte) lengthField);
    updateRegion(mac, null, buf, start + 4, end);
  }

  /** CRC-32 of {@code buf[start, end)} with the length field replaced, XOR 0x5354554E. */
  static int fingerprint(CRC32 crc, ByteBuf buf, int start, int end, int lengthField) {
    crc.reset();
    updateRegion(null, crc, buf, start, start + 2);
    crc.update(lengthField >>> 8);
    crc.update(lengthField & 0xFF);
    updateRegion(null, crc, buf, start + 4, end);
    return (int) crc.getValue() ^ FINGERPRINT_XOR;
  }

  private static void updateRegion(Mac mac, CRC32 crc, ByteBuf buf, int from, int to) {
    int len = to - from;
    if (len <= 0) {
      return;
    }
    if (buf.hasArray()) {
      byte[] a = buf.array();
      int off = buf.arrayOffset() + from;
      if (mac != null) {
        mac.update(a, off, len);
      } else {
        crc.update(a, off, len);
      }
    } else if (buf.nioBufferCount() == 1) {
      ByteBuffer nio = buf.internalNioBuffer(from, len);
      if (mac != null) {
        mac.update(nio);
      } else {
        crc.update(nio);
      }
    } else {
      byte[] s = SCRATCH.get();
      for (int i = from; i < to; ) {
        int n = Math.min(s.length, to - i);
        buf.getBytes(i, s, 0, n);
        if (mac != null) {
          mac.update(s, 0, n);
        } else {
          crc.update(s, 0, n);
        }
        i += n;
      }
    }
  }

  /** Compares {@code expected[0, len)} with {@code buf[index, index+len)} in constant time. */
  static boolean constantTimeEquals(byte[] expected, ByteBuf buf, int index, int len) {
    int diff = 0;
    for (int i = 0; i < len; i++) {
      diff |= expected[i] ^ buf.getByte(index + i);
    }
    return diff == 0;
  }

  private static final class KeyedMac {
    private final String algorithm;
    private final Mac mac;
    private byte[] key;

    KeyedMac(String algorithm) {
      this.algorithm = algorithm;
      try {
        this.mac = Mac.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " is required by every Java platform", e);
      }
    }

    Mac withKey(byte[] newKey) {
      if (key == null || !Arrays.equals(key, newKey)) {
        try {
          mac.init(new SecretKeySpec(newKey, algorithm));
        } catch (InvalidKeyException | IllegalArgumentException e) {
          throw new IllegalArgumentException("HMAC key: " + newKey.length + " bytes", e);
        }
        key = newKey.clone();
      } else {
        mac.reset();
      }
      return mac;
    }
  }
}
