package org.tafel.blob.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Durable blob bytes and metadata. Small enough for an S3 implementation: a pending write that
 * becomes visible only on {@link PendingBlob#commit}, a read by ID, a metadata rewrite, a delete,
 * and a listing at start. Expiry and counts are {@link BlobCatalog}'s business, not the storage's.
 */
public interface BlobStorage {

  /** Starts a new blob; nothing is visible until {@link PendingBlob#commit}. */
  PendingBlob begin() throws IOException;

  /**
   * Makes the finished local {@code file} (a tus upload's bytes) the blob {@code meta} describes,
   * durably; the file is moved (or copied and removed).
   */
  void adopt(Path file, BlobMeta meta) throws IOException;

  /** The bytes of a committed blob, or empty when there is none. */
  Optional<BlobContent> open(String id) throws IOException;

  /** Durably replaces the metadata of a committed blob (its download count). */
  void rewriteMeta(BlobMeta meta) throws IOException;

  /** Removes a blob's bytes, then its metadata; absent is fine. */
  void delete(String id) throws IOException;

  /**
   * Every committed blob's metadata; removes what a crash left half-done (metadata without bytes or
   * bytes without metadata). Called once at start, before anything is served.
   */
  List<BlobMeta> loadAll() throws IOException;

  /** Removes temporary files no pending write owns; returns how many. */
  int sweepTemporaries() throws IOException;

  /** A blob being written. */
  interface PendingBlob extends Closeable {
    WritableByteChannel channel();

    /** Durably stores the bytes written so far under {@code meta}; then they are visible. */
    void commit(BlobMeta meta) throws IOException;

    /** Discards the bytes; idempotent, and a no-op after commit. */
    @Override
    void close();
  }

  /** A committed blob's bytes, readable until closed even if the blob is deleted meanwhile. */
  interface BlobContent extends Closeable {
    long size();

    /** A positional channel over the bytes (files: usable for zero-copy transfer). */
    FileChannel channel();

    @Override
    void close();
  }
}
