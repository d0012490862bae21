package org.tafel.client.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The NaCl primitives shared by {@link SecretBox} and {@link Box}: XSalsa20-Poly1305 in libsodium's
 * {@code _easy} layout and HSalsa20 (Bernstein, "Extending the Salsa20 nonce", 2011).
 *
 * <p>Poly1305's one-time key is the first 32 bytes of the XSalsa20 keystream; the message is
 * encrypted with the keystream from byte 32 on; the tag covers the ciphertext alone.
 */
final class XSalsa20Poly1305 {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 24;
  static final int MAC_BYTES = 16;

  private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

  private XSalsa20Poly1305() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] message, int offset, int length) {
    checkLengths(key, nonce);
    XSalsa20Engine stream = stream(key, nonce);
    byte[] polyKey = new byte[32];
    stream.processBytes(polyKey, 0, 32, polyKey, 0);
    byte[] out = new byte[MAC_BYTES + length];
    stream.processBytes(message, offset, length, out, MAC_BYTES);
    mac(polyKey, out, MAC_BYTES, length, out, 0);
    Arrays.fill(polyKey, (byte) 0);
    return out;
  }

  static byte[] open(byte[] key, byte[] nonce, byte[] box, int offset, int length, String what)
      throws DecryptionFailedException {
    checkLengths(key, nonce);
    if (length < MAC_BYTES) {
      throw new DecryptionFailedException(what);
    }
    XSalsa20Engine stream = stream(key, nonce);
    byte[] polyKey = new byte[32];
    stream.processBytes(polyKey, 0, 32, polyKey, 0);
    byte[] expected = new byte[MAC_BYTES];
    mac(polyKey, box, offset + MAC_BYTES, length - MAC_BYTES, expected, 0);
    Arrays.fill(polyKey, (byte) 0);
    byte[] tag = Arrays.copyOfRange(box, offset, offset + MAC_BYTES);
    if (!MessageDigest.isEqual(expected, tag)) {
      throw new DecryptionFailedException(what);
    }
    byte[] out = new byte[length - MAC_BYTES];
    stream.processBytes(box, offset + MAC_BYTES, out.length, out, 0);
    return out;
  }

  /**
   * HSalsa20: the Salsa20 rounds over (sigma, key, 16-byte input) without the final addition,
   * output words 0, 5, 10, 15, 6, 7, 8, 9 (little-endian). {@code crypto_box_beforenm} is
   * HSalsa20(X25519 shared secret, 16 zero bytes).
   */
  static byte[] hsalsa20(byte[] key, byte[] input16) {
    if (key.length != 32 || input16.length != 16) {
      throw new IllegalArgumentException("hsalsa20: key 32 bytes and input 16 bytes expected");
    }
    int[] x = new int[16];
    x[0] = SIGMA[0];
    x[5] = SIGMA[1];
    x[10] = SIGMA[2];
    x[15] = SIGMA[3];
    for (int i = 0; i < 4; i++) {
      x[1 + i] = le32(key, 4 * i);
      x[11 + i] = le32(key, 16 + 4 * i);
      x[6 + i] = le32(input16, 4 * i);
    }
    int[] y = new int[16];
    // salsaCore adds the input back in (the Salsa20 feed-forward); HSalsa20 has none.
    Salsa20Engine.salsaCore(20, x, y);
    int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      int w = words[i];
      putLe32(y[w] - x[w], out, 4 * i);
    }
    Arrays.fill(x, 0);
    Arrays.fill(y, 0);
    return out;
  }

  private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
    XSalsa20Engine engine = new XSalsa20Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return engine;
  }

  private static void mac(byte[] polyKey, byte[] in, int off, int len, byte[] out, int outOff) {
    Poly1305 poly = new Poly1305();
    poly.init(new KeyParameter(polyKey));
    poly.update(in, off, len);
    poly.doFinal(out, outOff);
  }

  private static void checkLengths(byte[] key, byte[] nonce) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("key: " + key.length + " bytes (expected: 32)");
    }
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("nonce: " + nonce.length + " bytes (expected: 24)");
    }
  }

  private static int le32(byte[] b, int o) {
    return (b[o] & 0xff)
        | (b[o + 1] & 0xff) << 8
        | (b[o + 2] & 0xff) << 16
        | (b[o + 3] & 0xff) << 24;
  }

  private static void putLe32(int v, byte[] b, int o) {
    b[o] = (byte) v;
    b[o + 1] = (byte) (v >>> 8);
    b[o + 2] = (byte) (v >>> 16);
    b[o + 3] = (byte) (v >>> 24);
  }
}
