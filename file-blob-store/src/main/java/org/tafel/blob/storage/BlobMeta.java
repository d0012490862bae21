package org.tafel.blob.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * What the store keeps about one blob besides its bytes (docs/retention.md).
 *
 * @param id 32 lower-case hex characters, 128 random bits
 * @param size ciphertext bytes
 * @param createdAt when the upload completed
 * @param expiresAt when it stops being served
 * @param downloadsLeft {@code done} calls left before it is deleted; 0 = no count
 * @param deleteTokenHash lower-case hex SHA-256 of the delete token (the token itself is not kept)
 * @param owner the uploader's blob-store pseudonym, for the quota
 */
public record BlobMeta(
    String id,
    long size,
    Instant createdAt,
    Instant expiresAt,
    int downloadsLeft,
    String deleteTokenHash,
    String owner) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public BlobMeta {
    if (!BlobIds.isValid(id)) {
      throw new IllegalArgumentException("id: not 32 lower-case hex characters");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (downloadsLeft < 0) {
      throw new IllegalArgumentException("downloadsLeft: " + downloadsLeft + " (expected: >= 0)");
    }
    Objects.requireNonNull(deleteTokenHash, "deleteTokenHash");
    Objects.requireNonNull(owner, "owner");
  }

  /** True when it may be served at {@code now}. */
  public boolean liveAt(Instant now) {
    return now.isBefore(expiresAt);
  }

  public BlobMeta withDownloadsLeft(int left) {
    return new BlobMeta(id, size, createdAt, expiresAt, left, deleteTokenHash, owner);
  }

  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", 1);
    n.put("id", id);
    n.put("size", size);
    n.put("createdAt", createdAt.toEpochMilli());
    n.put("expiresAt", expiresAt.toEpochMilli());
    n.put("downloadsLeft", downloadsLeft);
    n.put("deleteTokenHash", deleteTokenHash);
    n.put("owner", owner);
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static BlobMeta fromJson(byte[] json) throws IOException {
    JsonNode n = JSON.readTree(json);
    if (n == null || !n.isObject() || n.path("v").asInt() != 1) {
      throw new IOException("not a version 1 blob metadata object");
    }
    try {
      return new BlobMeta(
          n.path("id").asText(),
          n.path("size").asLong(-1),
          Instant.ofEpochMilli(n.path("createdAt").asLong()),
          Instant.ofEpochMilli(n.path("expiresAt").asLong()),
          n.path("downloadsLeft").asInt(-1),
          n.path("deleteTokenHash").asText(),
          n.path("owner").asText());
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid blob metadata: " + e.getMessage(), e);
    }
  }
}
