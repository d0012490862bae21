package org.tafel.client.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Chunked authenticated file encryption, format {@code tafel-chunks-v1} (DESIGN.md §6,
 * docs/client.md): the plaintext is cut into 64 KiB chunks (the last one 0..64 KiB; an empty file
 * is one empty chunk), and chunk {@code i} is sealed as {@code crypto_secretbox_easy} under the
 * file key with nonce {@code u64be(i) ‖ u8(last ? 1 : 0) ‖ 15 zero bytes}. The ciphertext is the
 * sealed chunks back to back, each 16 bytes longer than its plaintext.
 *
 * <p>Because the index and the last-chunk flag are in the nonce, a reordered, swapped, duplicated
 * or removed chunk, a cut at any byte, and bytes appended after the last chunk all fail to
 * authenticate. Nonces repeat across files, which is safe only because every upload attempt has a
 * fresh random key ({@link FileKey#generate}); a resumed upload of an unchanged file may keep its
 * key, since it reproduces the same ciphertext.
 *
 * <p>Both directions stream: at most two chunks are held in memory.
 */
public final class ChunkedFileCipher {
  public static final String FORMAT = "tafel-chunks-v1";
  public static final int CHUNK_SIZE = 64 * 1024;
  public static final int SEALED_CHUNK_SIZE = CHUNK_SIZE + SecretBox.MAC_BYTES;

  private ChunkedFileCipher() {}

  /** The ciphertext size for a plaintext of {@code plaintextSize} bytes. */
  public static long ciphertextSize(long plaintextSize) {
    if (plaintextSize < 0) {
      throw new IllegalArgumentException("size: " + plaintextSize + " (expected: >= 0)");
    }
    long chunks = Math.max(1, (plaintextSize + CHUNK_SIZE - 1) / CHUNK_SIZE);
    return plaintextSize + chunks * SecretBox.MAC_BYTES;
  }

  /**
   * Encrypts {@code in} to {@code out} until {@code in} ends; returns the plaintext bytes read.
   * Closes neither stream.
   */
  public static long encrypt(InputStream in, OutputStream out, FileKey key) throws IOException {
    SecretBox box = key.secretBox();
    try {
      byte[] current = in.readNBytes(CHUNK_SIZE);
      long index = 0;
      long total = 0;
      while (true) {
        byte[] next = current.length == CHUNK_SIZE ? in.readNBytes(CHUNK_SIZE) : new byte[0];
        boolean last = next.length == 0;
        out.write(box.seal(nonce(index, last), current));
        total += current.length;
        if (last) {
          return total;
        }
        current = next;
        index++;
      }
    } finally {
      box.destroy();
    }
  }

  /**
   * Decrypts {@code in} to {@code out}; returns the plaintext size. Chunks are written as each one
   * authenticates, so the output is the file only when this returns normally: write it to a
   * temporary file and move it into place afterwards. Closes neither stream.
   *
   * @throws DecryptionFailedException if any chunk fails, the stream is cut, reordered or extended
   */
  public static long decrypt(InputStream in, OutputStream out, FileKey key)
      throws IOException, DecryptionFailedException {
    SecretBox box = key.secretBox();
    try {
      byte[] current = in.readNBytes(SEALED_CHUNK_SIZE);
      long index = 0;
      long total = 0;
      while (true) {
        byte[] next =
            current.length == SEALED_CHUNK_SIZE ? in.readNBytes(SEALED_CHUNK_SIZE) : new byte[0];
        boolean last = next.length == 0;
        byte[] plain =
            box.open(nonce(index, last), current, 0, current.length, "file chunk " + index);
        out.write(plain);
        total += plain.length;
        if (last) {
          return total;
        }
        current = next;
        index++;
      }
    } finally {
      box.destroy();
    }
  }

  static byte[] nonce(long index, boolean last) {
    byte[] n = new byte[SecretBox.NONCE_BYTES];
    for (int i = 0; i < 8; i++) {
      n[i] = (byte) (index >>> (56 - 8 * i));
    }
    n[8] = (byte) (last ? 1 : 0);
    return n;
  }
}
