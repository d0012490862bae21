package org.tafel.client.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * libsodium's {@code crypto_box_seal}: an anonymous box to a public key. Output is the ephemeral
 * public key (32 bytes) followed by {@code crypto_box_easy(m, nonce, pk, esk)} with nonce =
 * BLAKE2b-192(epk ‖ pk); 48 bytes longer than the message.
 */
public final class SealedBox {
  public static final int OVERHEAD = KeyPair.KEY_BYTES + Box.MAC_BYTES;

  private SealedBox() {}

  public static byte[] seal(byte[] message, byte[] recipientPublicKey, SecureRandom random) {
    KeyPair ephemeral = KeyPair.generate(random);
    try {
      byte[] epk = ephemeral.publicKey();
      Box box = new Box(ephemeral, recipientPublicKey);
      byte[] sealed = box.seal(nonce(epk, recipientPublicKey), message);
      box.destroy();
      byte[] out = new byte[epk.length + sealed.length];
      System.arraycopy(epk, 0, out, 0, epk.length);
      System.arraycopy(sealed, 0, out, epk.length, sealed.length);
      return out;
    } finally {
      ephemeral.destroy();
    }
  }

  public static byte[] open(byte[] sealed, KeyPair recipient) throws DecryptionFailedException {
    if (sealed.length < OVERHEAD) {
      throw new DecryptionFailedException("sealed box");
    }
    byte[] epk = java.util.Arrays.copyOfRange(sealed, 0, KeyPair.KEY_BYTES);
    Box box;
    try {
      box = new Box(recipient, epk);
    } catch (IllegalArgumentException lowOrder) {
      throw new DecryptionFailedException("sealed box");
    }
    try {
      byte[] rest = java.util.Arrays.copyOfRange(sealed, KeyPair.KEY_BYTES, sealed.length);
      return box.open(nonce(epk, recipient.publicKey()), rest);
    } catch (DecryptionFailedException e) {
      throw new DecryptionFailedException("sealed box");
    } finally {
      box.destroy();
    }
  }

  private static byte[] nonce(byte[] epk, byte[] pk) {
    Blake2bDigest d = new Blake2bDigest(Box.NONCE_BYTES * 8);
    d.update(epk, 0, epk.length);
    d.update(pk, 0, pk.length);
    byte[] n = new byte[Box.NONCE_BYTES];
    d.doFinal(n, 0);
    return n;
  }
}
