package org.tafel.blob.tus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.tafel.blob.expiry.Lifetime;

/**
 * One tus upload's state. Mutable, guarded by the upload itself ({@code synchronized}); {@link
 * #busy} is memory only (one PATCH at a time).
 */
public final class TusUpload {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String id;
  final long length;
  final String owner;
  final Instant createdAt;
  final Lifetime lifetime;
  Instant expiresAt;
  long offset;
  String blobId;
  String deleteToken;
  Instant completedAt;
  Instant blobExpiresAt;
  boolean completed;
  boolean removed;
  boolean busy;

  TusUpload(
      String id,
      long length,
      String owner,
      Instant createdAt,
      Instant expiresAt,
      Lifetime lifetime) {
    this.id = id;
    this.length = length;
    this.owner = owner;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
    this.lifetime = lifetime;
  }

  public String id() {
    return id;
  }

  public synchronized long offset() {
    return offset;
  }

  public long length() {
    return length;
  }

  public synchronized Instant expiresAt() {
    return expiresAt;
  }

  public synchronized boolean completed() {
    return completed;
  }

  public synchronized String blobId() {
    return completed ? blobId : null;
  }

  public synchronized String deleteToken() {
    return completed ? deleteToken : null;
  }

  /** The blob's expiry once complete, else null. */
  public synchronized Instant blobExpiresAt() {
    return completed ? blobExpiresAt : null;
  }

  public Lifetime lifetime() {
    return lifetime;
  }

  synchronized byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", 1);
    n.put("id", id);
    n.put("length", length);
    n.put("offset", offset);
    n.put("owner", owner);
    n.put("createdAt", createdAt.toEpochMilli());
    n.put("expiresAt", expiresAt.toEpochMilli());
    n.put("expiresIn", lifetime.expiresIn().toSeconds());
    n.put("downloads", lifetime.downloads());
    if (blobId != null) {
      n.put("blobId", blobId);
      n.put("deleteToken", deleteToken);
      n.put("completedAt", completedAt.toEpochMilli());
      n.put("blobExpiresAt", blobExpiresAt.toEpochMilli());
    }
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static TusUpload fromJson(byte[] bytes) throws IOException {
    JsonNode n = JSON.readTree(bytes);
    if (n == null || n.path("v").asInt() != 1) {
      throw new IOException("not a version 1 tus upload state");
    }
    TusUpload u =
        new TusUpload(
            n.path("id").asText(),
            n.path("length").asLong(),
            n.path("owner").asText(),
            Instant.ofEpochMilli(n.path("createdAt").asLong()),
            Instant.ofEpochMilli(n.path("expiresAt").asLong()),
            new Lifetime(
                Duration.ofSeconds(n.path("expiresIn").asLong()), n.path("downloads").asInt()));
    u.offset = n.path("offset").asLong();
    if (n.hasNonNull("blobId")) {
      u.blobId = n.get("blobId").asText();
      u.deleteToken = n.path("deleteToken").asText();
      u.completedAt = Instant.ofEpochMilli(n.path("completedAt").asLong());
      u.blobExpiresAt = Instant.ofEpochMilli(n.path("blobExpiresAt").asLong());
    }
    return u;
  }
}
