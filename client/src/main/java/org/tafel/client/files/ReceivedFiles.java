package org.tafel.client.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tafel.client.crypto.ChunkedFileCipher;
import org.tafel.client.crypto.DecryptionFailedException;
import org.tafel.client.crypto.FileKey;

/**
 * Saves a downloaded ciphertext as the file a {@code file} message announced: decrypts into a
 * temporary file (0600) in the target directory, checks the size and SHA-256 against the message,
 * and only then moves it to a new safe name ({@link SafeFileNames#createNew}). A file that fails
 * any check leaves nothing behind.
 */
public final class ReceivedFiles {
  private ReceivedFiles() {}

  /** Thrown when the content does not match its message; nothing was saved. */
  public static final class FileCheckException extends Exception {
    public FileCheckException(String message) {
      super(message);
    }
  }

  public static Path save(InputStream ciphertext, FileMessage message, Path dir)
      throws IOException, FileCheckException {
    Path tmp =
        Files.createTempFile(
            dir,
            ".tafel-",
            ".part",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    boolean kept = false;
    try {
      MessageDigest sha = sha256();
      long size;
      FileKey key = message.fileKey();
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        size = ChunkedFileCipher.decrypt(ciphertext, out, key);
      } catch (DecryptionFailedException e) {
        throw new FileCheckException("the file did not decrypt: " + e.getMessage());
      } finally {
        key.destroy();
      }
      if (size != message.size()) {
        throw new FileCheckException(
            "the file has " + size + " bytes (the message said " + message.size() + ")");
      }
      String hash = HexFormat.of().formatHex(sha.digest());
      if (!hash.equals(message.sha256())) {
        throw new FileCheckException("the file's SHA-256 differs from the message's");
      }
      Path target = SafeFileNames.createNew(dir, message.name());
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      kept = true;
      return target;
    } finally {
      if (!kept) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
