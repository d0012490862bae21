package org.tafel.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptingInputStreamTest {
  private static final int S = ChunkedFileCipher.SEALED_CHUNK_SIZE;
  private final SecureRandom random = new SecureRandom();

  private static byte[] encrypt(byte[] p, FileKey key) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChunkedFileCipher.encrypt(new ByteArrayInputStream(p), out, key);
    return out.toByteArray();
  }

  @Test
  void yieldsTheSameBytesAsEncrypt() throws Exception {
    for (int size : new int[] {0, 5, 65_536, 2 * 65_536 + 9}) {
      byte[] p = new byte[size];
      random.nextBytes(p);
      FileKey key = FileKey.generate(random);
      try (InputStream in = EncryptingInputStream.of(new ByteArrayInputStream(p), key)) {
        assertArrayEquals(encrypt(p, key), in.readAllBytes(), "size " + size);
      }
    }
  }

  @Test
  void resumesAtAnyCiphertextOffsetWithTheSameBytes(@TempDir Path dir) throws Exception {
    byte[] p = new byte[3 * 65_536 + 100];
    random.nextBytes(p);
    Path file = dir.resolve("blatt.pdf");
    Files.write(file, p);
    FileKey key = FileKey.generate(random);
    byte[] full = encrypt(p, key);
    for (long offset :
        new long[] {0, 1, 16, S - 1, S, S + 7, 3L * S, full.length - 1, full.length}) {
      try (InputStream in = EncryptingInputStream.ofFile(file, key, offset)) {
        byte[] tail = in.readAllBytes();
        assertArrayEquals(
            Arrays.copyOfRange(full, (int) offset, full.length), tail, "offset " + offset);
      }
    }
    try (InputStream in = EncryptingInputStream.ofFile(file, key, S + 3)) {
      assertEquals(full[S + 3] & 0xff, in.read(), "single-byte read");
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> EncryptingInputStream.ofFile(file, key, full.length + 1));
  }

  @Test
  void resumesAFileOfWholeChunksAtEveryChunkBoundary(@TempDir Path dir) throws Exception {
    byte[] p = new byte[2 * 65_536];
    random.nextBytes(p);
    Path file = dir.resolve("whole");
    Files.write(file, p);
    FileKey key = FileKey.generate(random);
    byte[] full = encrypt(p, key);
    assertEquals(2 * S, full.length);
    for (long offset : new long[] {0, S, 2L * S}) {
      try (InputStream in = EncryptingInputStream.ofFile(file, key, offset)) {
        assertArrayEquals(
            Arrays.copyOfRange(full, (int) offset, full.length), in.readAllBytes(), "" + offset);
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> EncryptingInputStream.ofFile(file, key, 2L * S + 1));
  }

  @Test
  void resumesAnEmptyFileAtZeroAndItsEnd(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("empty"));
    FileKey key = FileKey.generate(random);
    byte[] full = encrypt(new byte[0], key);
    try (InputStream in = EncryptingInputStream.ofFile(file, key, 0)) {
      assertArrayEquals(full, in.readAllBytes());
    }
    try (InputStream in = EncryptingInputStream.ofFile(file, key, 16)) {
      assertEquals(-1, in.read());
    }
  }
}
