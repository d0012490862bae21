package org.tafel.client.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.tafel.client.crypto.ChunkedFileCipher;
import org.tafel.client.crypto.EncryptingInputStream;
import org.tafel.client.crypto.FileKey;

/**
 * A file about to be sent: its size and SHA-256 (one streaming pass), a fresh key for this upload
 * attempt, and the name and MIME type to announce. {@link #ciphertext(long)} streams what to upload
 * (from an offset when resuming); {@link #message(String)} builds the {@code file} message once the
 * blob store returned the blob ID.
 */
public final class OutgoingFile {
  /**
   * Where an upload reads its bytes from: the ciphertext from a byte offset on, opened again for
   * every resumed attempt. {@link #source()} is this file's; a test may use any byte array.
   */
  @FunctionalInterface
  public interface Source {
    /** A stream of the bytes from {@code offset} to the end; the caller closes it. */
    InputStream open(long offset) throws IOException;
  }

  private final Path path;
  private final FileKey key;
  private final long size;
  private final String sha256;
  private final String name;
  private final String mime;

  private OutgoingFile(Path path, FileKey key, long size, String sha256, String name, String mime) {
    this.path = path;
    this.key = key;
    this.size = size;
    this.sha256 = sha256;
    this.name = name;
    this.mime = mime;
  }

  public static OutgoingFile prepare(Path path, SecureRandom random) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size = 0;
    byte[] buf = new byte[ChunkedFileCipher.CHUNK_SIZE];
    try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        size += n;
      }
    }
    String name = path.getFileName() == null ? "file" : path.getFileName().toString();
    String mime = URLConnection.guessContentTypeFromName(name);
    return new OutgoingFile(
        path,
        FileKey.generate(random),
        size,
        HexFormat.of().formatHex(sha.digest()),
        name,
        mime == null ? "application/octet-stream" : mime);
  }

  public long size() {
    return size;
  }

  public String sha256() {
    return sha256;
  }

  /** The bytes to upload: {@link ChunkedFileCipher#ciphertextSize} of {@link #size()}. */
  public long ciphertextSize() {
    return ChunkedFileCipher.ciphertextSize(size);
  }

  /** The ciphertext from {@code offset} (0, or the server's offset when resuming). */
  public InputStream ciphertext(long offset) throws IOException {
    return EncryptingInputStream.ofFile(path, key, offset);
  }

  /** {@link #ciphertext(long)} as an upload {@link Source}. */
  public Source source() {
    return this::ciphertext;
  }

  public FileMessage message(String blobId) {
    return new FileMessage(
        blobId,
        Base64.getEncoder().encodeToString(key.bytes()),
        size,
        sha256,
        name,
        mime,
        ChunkedFileCipher.FORMAT);
  }
}
