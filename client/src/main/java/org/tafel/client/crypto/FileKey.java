package org.tafel.client.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The random 32-byte key of one upload attempt of one file (DESIGN.md §6). It travels to the
 * recipients only inside an end-to-end-encrypted {@code file} message.
 */
public final class FileKey {
  public static final int BYTES = SecretBox.KEY_BYTES;

  private final byte[] key;

  private FileKey(byte[] key) {
    if (key.length != BYTES) {
      throw new IllegalArgumentException("file key: " + key.length + " bytes (expected: 32)");
    }
    this.key = key.clone();
  }

  public static FileKey generate(SecureRandom random) {
    byte[] k = new byte[BYTES];
    random.nextBytes(k);
    FileKey fk = new FileKey(k);
    Arrays.fill(k, (byte) 0);
    return fk;
  }

  /** A key received in a {@code file} message. */
  public static FileKey of(byte[] key) {
    return new FileKey(key);
  }

  /** A copy of the key, to put into the end-to-end-encrypted {@code file} message only. */
  public byte[] bytes() {
    return key.clone();
  }

  SecretBox secretBox() {
    return new SecretBox(key);
  }

  public void destroy() {
    Arrays.fill(key, (byte) 0);
  }
}
