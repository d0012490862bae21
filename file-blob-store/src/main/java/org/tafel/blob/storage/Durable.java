package org.tafel.blob.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The few filesystem steps every durable write is made of. */
public final class Durable {
  private Durable() {}

  /** Flushes a file's bytes and size to the disk. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Flushes a directory's entries (renames, creations, removals in it) to the disk. Linux allows
   * opening a directory read-only and fsync-ing it; elsewhere this may be refused and is skipped.
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
        throw e;
      }
    }
  }

  /** Atomic rename, replacing {@code to}; both in one filesystem. */
  public static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(from + " -> " + to + ": atomic rename not supported", e);
    }
  }

  /**
   * Writes {@code bytes} to {@code target} so that a reader sees the old or the new content, never
   * a mix: a temporary file (mode 0600) in {@code tmpDir}, fsync, rename, directory fsync.
   */
  public static void writeAtomically(Path tmpDir, Path target, byte[] bytes) throws IOException {
    Path temp =
        Files.createTempFile(
            tmpDir,
            "meta-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      rename(temp, target);
      fsyncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
