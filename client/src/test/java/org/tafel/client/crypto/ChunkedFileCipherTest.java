package org.tafel.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedFileCipherTest {
  private static final int C = ChunkedFileCipher.CHUNK_SIZE;
  private static final int S = ChunkedFileCipher.SEALED_CHUNK_SIZE;
  private final SecureRandom random = new SecureRandom();
  private final FileKey key = FileKey.generate(random);

  private byte[] plain(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private byte[] encrypt(byte[] p, FileKey k) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(p.length, ChunkedFileCipher.encrypt(new ByteArrayInputStream(p), out, k));
    return out.toByteArray();
  }

  private byte[] decrypt(byte[] c, FileKey k) throws IOException, DecryptionFailedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = ChunkedFileCipher.decrypt(new ByteArrayInputStream(c), out, k);
    assertEquals(out.size(), n);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  private static byte[] chunk(byte[] c, int i) {
    return Arrays.copyOfRange(c, i * S, Math.min(c.length, (i + 1) * S));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 2 * 65_536, 3 * 65_536 + 100})
  void roundTripsEverySizeAroundTheChunkBoundaries(int size) throws Exception {
    byte[] p = plain(size);
    byte[] c = encrypt(p, key);
    assertEquals(ChunkedFileCipher.ciphertextSize(size), c.length);
    assertArrayEquals(p, decrypt(c, key));
  }

  @Test
  void usesTheDocumentedNonceAndSecretboxPerChunk() throws Exception {
    byte[] p = plain(C + 10);
    byte[] c = encrypt(p, key);
    SecretBox box = key.secretBox();
    byte[] n0 = new byte[24];
    byte[] n1 = new byte[24];
    n1[7] = 1;
    n1[8] = 1;
    assertArrayEquals(box.seal(n0, Arrays.copyOf(p, C)), chunk(c, 0));
    assertArrayEquals(box.seal(n1, Arrays.copyOfRange(p, C, C + 10)), chunk(c, 1));
  }

  @Test
  void detectsTruncationAtAChunkBoundary() throws Exception {
    byte[] c = encrypt(plain(3 * C + 5), key);
    assertThrows(DecryptionFailedException.class, () -> decrypt(Arrays.copyOf(c, 3 * S), key));
    assertThrows(DecryptionFailedException.class, () -> decrypt(Arrays.copyOf(c, S), key));
  }

  @Test
  void detectsRemovalOfTheLastChunkOfAFileOfWholeChunks() throws Exception {
    byte[] c = encrypt(plain(2 * C), key);
    assertEquals(2 * S, c.length);
    assertThrows(DecryptionFailedException.class, () -> decrypt(Arrays.copyOf(c, S), key));
  }

  @Test
  void detectsTruncationInsideAChunkAndAnEmptyCiphertext() throws Exception {
    byte[] c = encrypt(plain(2 * C + 5), key);
    for (int cut : new int[] {1, 15, 16, S - 1, S + 1, c.length - 1}) {
      assertThrows(
          DecryptionFailedException.class, () -> decrypt(Arrays.copyOf(c, cut), key), "cut " + cut);
    }
    assertThrows(DecryptionFailedException.class, () -> decrypt(new byte[0], key));
  }

  @Test
  void detectsReorderedChunks() throws Exception {
    byte[] c = encrypt(plain(3 * C + 5), key);
    byte[] swapped = concat(chunk(c, 1), chunk(c, 0), chunk(c, 2), chunk(c, 3));
    assertThrows(DecryptionFailedException.class, () -> decrypt(swapped, key));
  }

  @Test
  void detectsADuplicatedChunk() throws Exception {
    byte[] c = encrypt(plain(2 * C + 5), key);
    byte[] dup = concat(chunk(c, 0), chunk(c, 0), chunk(c, 1), chunk(c, 2));
    assertThrows(DecryptionFailedException.class, () -> decrypt(dup, key));
  }

  @Test
  void detectsAChunkSwappedInFromAnotherUploadOfTheSameFile() throws Exception {
    byte[] p = plain(2 * C + 5);
    byte[] c = encrypt(p, key);
    byte[] other = encrypt(p, FileKey.generate(random));
    byte[] mixed = concat(chunk(c, 0), chunk(other, 1), chunk(c, 2));
    assertThrows(DecryptionFailedException.class, () -> decrypt(mixed, key));
  }

  @Test
  void detectsBytesAppendedAfterTheLastChunk() throws Exception {
    byte[] c = encrypt(plain(C + 5), key);
    assertThrows(DecryptionFailedException.class, () -> decrypt(concat(c, new byte[1]), key));
    // A whole extra chunk appended: the former last chunk now claims not to be last.
    byte[] c2 = encrypt(plain(C), key);
    assertThrows(DecryptionFailedException.class, () -> decrypt(concat(c2, c2), key));
  }

  @Test
  void detectsAFlippedBitAndAWrongKey() throws Exception {
    byte[] c = encrypt(plain(C + 5), key);
    byte[] bad = c.clone();
    bad[S + 3] ^= 1;
    assertThrows(DecryptionFailedException.class, () -> decrypt(bad, key));
    assertThrows(DecryptionFailedException.class, () -> decrypt(c, FileKey.generate(random)));
  }

  @Test
  void streamsFiftyMibThroughWithoutHoldingIt() throws Exception {
    long size = 50L * 1024 * 1024 + 12_345;
    MessageDigest plainHash = MessageDigest.getInstance("SHA-256");
    MessageDigest decryptedHash = MessageDigest.getInstance("SHA-256");
    // Encrypt to a counting sink for the size; then decrypt through a 64 KiB pipe fed by a
    // second encryption, so neither side ever holds more than a chunk or two.
    CountingSink sink = new CountingSink(null);
    ChunkedFileCipher.encrypt(new PatternStream(size, plainHash), sink, key);
    assertEquals(ChunkedFileCipher.ciphertextSize(size), sink.count);

    java.io.PipedInputStream pin = new java.io.PipedInputStream(S);
    java.io.PipedOutputStream pout = new java.io.PipedOutputStream(pin);
    Thread producer =
        new Thread(
            () -> {
              try (pout) {
                ChunkedFileCipher.encrypt(new PatternStream(size, null), pout, key);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    producer.start();
    CountingSink out = new CountingSink(decryptedHash);
    assertEquals(size, ChunkedFileCipher.decrypt(pin, out, key));
    producer.join();
    assertEquals(size, out.count);
    assertArrayEquals(plainHash.digest(), decryptedHash.digest());
  }

  /** {@code size} bytes of a fixed pattern, generated as read. */
  private static final class PatternStream extends InputStream {
    private final long size;
    private final MessageDigest digest;
    private long pos;

    PatternStream(long size, MessageDigest digest) {
      this.size = size;
      this.digest = digest;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((pos + i) * 31 >>> 3);
      }
      if (digest != null) {
        digest.update(b, off, n);
      }
      pos += n;
      return n;
    }
  }

  private static final class CountingSink extends OutputStream {
    private final MessageDigest digest;
    long count;

    CountingSink(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (digest != null) {
        digest.update(b, off, len);
      }
      count += len;
    }
  }
}
