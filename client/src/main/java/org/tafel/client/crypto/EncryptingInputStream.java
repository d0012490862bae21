package org.tafel.client.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@link ChunkedFileCipher} ciphertext of a plaintext stream, read as an {@link InputStream}
 * (an HTTP client's request body), optionally from a ciphertext offset: a resumed upload that the
 * server has up to byte {@code n} re-encrypts from the chunk holding {@code n} with the same key,
 * which reproduces the same bytes, and skips into it. Holds at most two chunks.
 */
public final class EncryptingInputStream extends InputStream {
  private final InputStream plain;
  private final SecretBox box;
  private long index;
  private byte[] next;
  private byte[] sealed = new byte[0];
  private int pos;
  private boolean done;

  /**
   * @param plain positioned at plaintext byte {@code firstChunk * CHUNK_SIZE}
   * @param skip bytes of the first sealed chunk to leave out
   */
  private EncryptingInputStream(InputStream plain, FileKey key, long firstChunk, int skip)
      throws IOException {
    this.plain = plain;
    this.box = key.secretBox();
    this.index = firstChunk;
    this.next = plain.readNBytes(ChunkedFileCipher.CHUNK_SIZE);
    advance();
    if (skip > sealed.length) {
      close();
      throw new IllegalArgumentException("offset beyond the end of the ciphertext");
    }
    pos = skip;
  }

  /** The whole ciphertext of {@code plain}; closing this stream closes {@code plain}. */
  public static EncryptingInputStream of(InputStream plain, FileKey key) throws IOException {
    return new EncryptingInputStream(plain, key, 0, 0);
  }

  /**
   * The ciphertext of {@code file} from byte {@code ciphertextOffset} on (0 .. {@link
   * ChunkedFileCipher#ciphertextSize} of its size).
   */
  public static EncryptingInputStream ofFile(Path file, FileKey key, long ciphertextOffset)
      throws IOException {
    if (ciphertextOffset < 0) {
      throw new IllegalArgumentException("offset: " + ciphertextOffset + " (expected: >= 0)");
    }
    long chunk = ciphertextOffset / ChunkedFileCipher.SEALED_CHUNK_SIZE;
    int skip = (int) (ciphertextOffset % ChunkedFileCipher.SEALED_CHUNK_SIZE);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      if (chunk > 0 && skip == 0 && chunk * ChunkedFileCipher.CHUNK_SIZE == ch.size()) {
        // The end of a file of whole chunks: all of its (full, last) final chunk is skipped.
        chunk--;
        skip = ChunkedFileCipher.SEALED_CHUNK_SIZE;
      }
      long start = chunk * ChunkedFileCipher.CHUNK_SIZE;
      if (start > ch.size() || (start == ch.size() && chunk > 0 && skip > 0)) {
        throw new IllegalArgumentException(
            "offset: "
                + ciphertextOffset
                + " (expected: <= "
                + ChunkedFileCipher.ciphertextSize(ch.size())
                + ")");
      }
      ch.position(start);
      return new EncryptingInputStream(Channels.newInputStream(ch), key, chunk, skip);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos == sealed.length) {
      if (done) {
        return -1;
      }
      advance();
      pos = 0;
    }
    int n = Math.min(len, sealed.length - pos);
    System.arraycopy(sealed, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Seals the chunk in {@code next}, reading one ahead to know whether it is the last. */
  private void advance() throws IOException {
    byte[] current = next;
    next =
        current.length == ChunkedFileCipher.CHUNK_SIZE
            ? plain.readNBytes(ChunkedFileCipher.CHUNK_SIZE)
            : new byte[0];
    boolean last = next.length == 0;
    sealed = box.seal(ChunkedFileCipher.nonce(index, last), current);
    index++;
    done = last;
  }

  @Override
  public void close() throws IOException {
    box.destroy();
    plain.close();
  }
}
