package org.tafel.client.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Base64;
import org.tafel.client.crypto.ChunkedFileCipher;
import org.tafel.client.crypto.FileKey;

/**
 * The body of a {@code file} message (DESIGN.md §6), end-to-end encrypted: where the ciphertext is
 * (blob ID), how to decrypt it (key, format) and what it must turn out to be (size, SHA-256 of the
 * plaintext), with the name and MIME type the sender gave. The server sees none of it.
 */
public record FileMessage(
    String blobId, String key, long size, String sha256, String name, String mime, String format) {
  /** 1 TiB: a bound, not a quota (the blob store enforces its own). */
  public static final long MAX_SIZE = 1L << 40;

  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  public FileMessage {
    require(blobId != null && blobId.matches("[0-9a-f]{32}"), "blobId: expected 32 hex digits");
    require(key != null && decodedKeyLength(key) == FileKey.BYTES, "key: expected 32 bytes base64");
    require(size >= 0 && size <= MAX_SIZE, "size: expected 0..2^40");
    require(sha256 != null && sha256.matches("[0-9a-f]{64}"), "sha256: expected 64 hex digits");
    require(name != null && name.length() <= 1024, "name: expected at most 1024 characters");
    require(
        mime != null && mime.length() <= 255 && mime.matches("[\\x21-\\x7e]+/[\\x21-\\x7e]+"),
        "mime: expected type/subtype");
    require(
        ChunkedFileCipher.FORMAT.equals(format),
        "format: " + format + " (expected: " + ChunkedFileCipher.FORMAT + ")");
  }

  public FileKey fileKey() {
    return FileKey.of(Base64.getDecoder().decode(key));
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a {@code file} message body, naming the field that is wrong. */
  public static FileMessage fromJson(byte[] json) throws IOException {
    try {
      FileMessage m = JSON.readValue(json, FileMessage.class);
      if (m == null) {
        throw new IOException("file message: null");
      }
      return m;
    } catch (ValueInstantiationException e) {
      throw new IOException(
          "file message: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    } catch (JsonProcessingException e) {
      throw new IOException("file message: " + e.getOriginalMessage());
    }
  }

  private static int decodedKeyLength(String b64) {
    try {
      return Base64.getDecoder().decode(b64).length;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
