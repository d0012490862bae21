package org.tafel.blob.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.BlobMetrics;
import org.tafel.blob.LogSafe;
import org.tafel.blob.tokens.DeleteTokens;
import org.tafel.blob.tokens.Quotas;

/**
 * The committed blobs of this node, indexed in memory (about 200 bytes each) and enforced on every
 * read: an expired blob, or one whose download count is used up, is never served, whether or not
 * the sweeper has reclaimed it yet. Removal (expiry, last {@code done}, delete) gives the owner's
 * bytes back to its quota.
 */
public final class BlobCatalog {
  private static final Logger log = LoggerFactory.getLogger(BlobCatalog.class);

  private final BlobStorage storage;
  private final Quotas quotas;
  private final BlobMetrics metrics;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<String, BlobMeta> index = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[64];
  private final AtomicLong bytes = new AtomicLong();

  public BlobCatalog(
      BlobStorage storage, Quotas quotas, BlobMetrics metrics, Clock clock, SecureRandom random) {
    this.storage = storage;
    this.quotas = quotas;
    this.metrics = metrics;
    this.clock = clock;
    this.random = random;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  /** Reads every committed blob (crash leftovers are removed by the storage). */
  public void load() throws IOException {
    for (BlobMeta m : storage.loadAll()) {
      index.put(m.id(), m);
      bytes.addAndGet(m.size());
      quotas.add(m.owner(), m.size());
    }
  }

  private Object lockFor(String id) {
    return locks[Math.floorMod(id.hashCode(), locks.length)];
  }

  /** A servable blob's metadata: known, not expired at this instant, downloads left. */
  public Optional<BlobMeta> find(String id) {
    if (!BlobIds.isValid(id)) {
      return Optional.empty();
    }
    BlobMeta m = index.get(id);
    if (m == null || !m.liveAt(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(m);
  }

  /** A servable blob's metadata and bytes; the caller closes the content. */
  public Optional<Opened> open(String id) throws IOException {
    Optional<BlobMeta> m = find(id);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    Optional<BlobStorage.BlobContent> c = storage.open(id);
    if (c.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Opened(m.get(), c.get()));
  }

  /**
   * A blob's metadata and its bytes.
   *
   * @param meta as at opening
   * @param content open until closed
   */
  public record Opened(BlobMeta meta, BlobStorage.BlobContent content) {}

  /**
   * A newly stored blob.
   *
   * @param meta its metadata
   * @param deleteToken the only copy of the delete token this node hands out
   */
  public record Created(BlobMeta meta, String deleteToken) {}

  /** A fresh ID and delete token for a blob about to be stored. */
  public Created reserveIdentity(
      long size, String owner, Instant expiresAt, int downloads, Instant now) {
    String id;
    do {
      id = BlobIds.random(random);
    } while (index.containsKey(id));
    String token = DeleteTokens.random(random);
    // whole milliseconds, as stored, so the expiry a client is told survives a restart unchanged
    return new Created(
        new BlobMeta(
            id,
            size,
            now.truncatedTo(ChronoUnit.MILLIS),
            expiresAt.truncatedTo(ChronoUnit.MILLIS),
            downloads,
            DeleteTokens.hash(token),
            owner),
        token);
  }

  /** Commits {@code pending} as a new blob; visible (and durable) when this returns. */
  public Created commit(
      BlobStorage.PendingBlob pending, long size, String owner, Instant expiresAt, int downloads)
      throws IOException {
    Created c = reserveIdentity(size, owner, expiresAt, downloads, clock.instant());
    pending.commit(c.meta());
    added(c.meta());
    return c;
  }

  /** Moves a finished tus file in as the blob {@code identity} describes. */
  public void adopt(Path file, BlobMeta meta) throws IOException {
    storage.adopt(file, meta);
    added(meta);
  }

  private void added(BlobMeta m) {
    index.put(m.id(), m);
    bytes.addAndGet(m.size());
  }

  /** What {@link #done} did. */
  public enum DoneResult {
    COUNTED,
    REMOVED,
    NOT_FOUND
  }

  /**
   * One recipient finished downloading: a counted blob loses one download and is removed after its
   * last. An uncounted blob is left as it is.
   */
  public DoneResult done(String id) throws IOException {
    synchronized (lockFor(id)) {
      Optional<BlobMeta> m = find(id);
      if (m.isEmpty()) {
        return DoneResult.NOT_FOUND;
      }
      BlobMeta meta = m.get();
      if (meta.downloadsLeft() == 0) {
        return DoneResult.COUNTED;
      }
      if (meta.downloadsLeft() == 1) {
        remove(meta, BlobMetrics.Removal.DOWNLOADS_DONE);
        return DoneResult.REMOVED;
      }
      BlobMeta next = meta.withDownloadsLeft(meta.downloadsLeft() - 1);
      storage.rewriteMeta(next);
      index.put(id, next);
      return DoneResult.COUNTED;
    }
  }

  /** What {@link #delete} did. */
  public enum DeleteResult {
    DELETED,
    NOT_FOUND,
    FORBIDDEN
  }

  /** Deletes a servable blob when {@code token} is its delete token. */
  public DeleteResult delete(String id, String token) throws IOException {
    synchronized (lockFor(id)) {
      Optional<BlobMeta> m = find(id);
      if (m.isEmpty()) {
        return DeleteResult.NOT_FOUND;
      }
      if (!DeleteTokens.matches(token, m.get().deleteTokenHash())) {
        return DeleteResult.FORBIDDEN;
      }
      remove(m.get(), BlobMetrics.Removal.DELETED);
      return DeleteResult.DELETED;
    }
  }

  private void remove(BlobMeta meta, BlobMetrics.Removal why) throws IOException {
    BlobMeta was = index.remove(meta.id());
    if (was != null) {
      bytes.addAndGet(-was.size());
      quotas.release(was.owner(), was.size());
      metrics.removed(why);
    }
    storage.delete(meta.id());
  }

  /** Removes every blob expired at this instant; returns how many. */
  public int sweepExpired() {
    Instant now = clock.instant();
    List<BlobMeta> expired = new ArrayList<>();
    for (BlobMeta m : index.values()) {
      if (!m.liveAt(now)) {
        expired.add(m);
      }
    }
    int n = 0;
    for (BlobMeta m : expired) {
      synchronized (lockFor(m.id())) {
        BlobMeta current = index.get(m.id());
        if (current == null) {
          continue;
        }
        try {
          remove(current, BlobMetrics.Removal.EXPIRED);
          n++;
        } catch (IOException e) {
          log.warn("blob store: an expired blob could not be removed: {}", LogSafe.of(e));
        }
      }
    }
    return n;
  }

  public long storedBytes() {
    return bytes.get();
  }

  public int storedBlobs() {
    return index.size();
  }
}
