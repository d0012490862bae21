package org.tafel.blob.tus;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.LogSafe;
import org.tafel.blob.expiry.Lifetime;
import org.tafel.blob.storage.BlobCatalog;
import org.tafel.blob.storage.BlobIds;
import org.tafel.blob.storage.BlobMeta;
import org.tafel.blob.storage.Durable;
import org.tafel.blob.tokens.DeleteTokens;
import org.tafel.blob.tokens.Quotas;

/**
 * tus uploads on disk: {@code uploads/ID.part} (the bytes received so far) and {@code
 * uploads/ID.json} (mode 0600: length, committed offset, owner, expiry and, once finished, the blob
 * ID and delete token). The offset in the JSON is advanced only after the bytes are fsync'ed, so
 * after a crash the part file is cut back to it and the client resumes from there.
 *
 * <p>Completion: a fresh blob ID and delete token are written into the JSON first, then the part
 * file is adopted as that blob. A crash in between is finished at the next start (the part file
 * still exists, so it is adopted then), so the ID a client may have seen is the blob it gets.
 */
public final class TusStore {
  private static final Logger log = LoggerFactory.getLogger(TusStore.class);
  private static final java.nio.file.attribute.FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path dir;
  private final Path tmp;
  private final BlobCatalog catalog;
  private final Quotas quotas;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<String, TusUpload> uploads = new ConcurrentHashMap<>();

  public TusStore(
      Path dir, Path tmp, BlobCatalog catalog, Quotas quotas, Clock clock, SecureRandom random)
      throws IOException {
    this.dir = dir;
    this.tmp = tmp;
    this.catalog = catalog;
    this.quotas = quotas;
    this.clock = clock;
    this.random = random;
    Files.createDirectories(dir);
  }

  Path part(String id) {
    return dir.resolve(id + ".part");
  }

  private Path state(String id) {
    return dir.resolve(id + ".json");
  }

  /** Reads every upload; finishes completions a crash interrupted; drops orphans. */
  public void load() throws IOException {
    Instant now = clock.instant();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(files::add);
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (!name.endsWith(".json")) {
        continue;
      }
      TusUpload u;
      try {
        u = TusUpload.fromJson(Files.readAllBytes(f));
        if (!BlobIds.isValid(u.id) || !name.equals(u.id + ".json")) {
          throw new IOException("id differs from file name");
        }
      } catch (IOException e) {
        log.warn("tus: unreadable upload state removed: {}", LogSafe.of(e.getMessage()));
        Files.deleteIfExists(f);
        continue;
      }
      if (!now.isBefore(u.expiresAt)) {
        removeFiles(u.id);
        continue;
      }
      if (u.blobId != null) {
        if (Files.exists(part(u.id))) {
          try {
            catalog.adopt(part(u.id), blobMeta(u));
            quotas.add(u.owner, u.length);
          } catch (IOException e) {
            log.warn("tus: an interrupted completion could not be finished: {}", LogSafe.of(e));
            removeFiles(u.id);
            continue;
          }
        }
        u.completed = true;
      } else {
        Path p = part(u.id);
        if (!Files.exists(p)) {
          removeFiles(u.id);
          continue;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
          if (ch.size() != u.offset) {
            ch.truncate(u.offset);
            ch.force(true);
          }
        }
        quotas.add(u.owner, u.length);
      }
      uploads.put(u.id, u);
      if (!u.completed && u.offset == u.length) {
        // every byte was durable but the completion did not start before the crash
        try {
          complete(u);
        } catch (IOException e) {
          log.warn("tus: a fully received upload could not be completed: {}", LogSafe.of(e));
        }
      }
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".part")
          && !uploads.containsKey(name.substring(0, name.length() - ".part".length()))) {
        Files.deleteIfExists(f);
      }
    }
  }

  private static BlobMeta blobMeta(TusUpload u) {
    return new BlobMeta(
        u.blobId,
        u.length,
        u.completedAt,
        u.blobExpiresAt,
        u.lifetime.downloads(),
        DeleteTokens.hash(u.deleteToken),
        u.owner);
  }

  /**
   * A new upload with an empty part file; its state is written by {@link #persist}, which the
   * caller runs off the event loop before answering.
   */
  public TusUpload create(long length, String owner, Lifetime lifetime, Instant expiresAt)
      throws IOException {
    String id;
    do {
      id = BlobIds.random(random);
    } while (uploads.containsKey(id));
    TusUpload u = new TusUpload(id, length, owner, clock.instant(), expiresAt, lifetime);
    Files.createFile(part(id), FILE_MODE);
    uploads.put(id, u);
    return u;
  }

  /** Durably writes the upload's state (0600). */
  public void persist(TusUpload u) throws IOException {
    byte[] json;
    synchronized (u) {
      if (u.removed) {
        return;
      }
      json = u.toJson();
    }
    Durable.writeAtomically(tmp, state(u.id), json);
  }

  /** A live upload: known and not expired at this instant. */
  public Optional<TusUpload> find(String id) {
    if (!BlobIds.isValid(id)) {
      return Optional.empty();
    }
    TusUpload u = uploads.get(id);
    if (u == null || !clock.instant().isBefore(u.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(u);
  }

  /** Claims the upload for one PATCH; false when another is in progress. */
  public boolean tryLock(TusUpload u) {
    synchronized (u) {
      if (u.busy || u.removed) {
        return false;
      }
      u.busy = true;
      return true;
    }
  }

  public void unlock(TusUpload u) {
    synchronized (u) {
      u.busy = false;
    }
  }

  /** The part file opened for writing at the committed offset (anything after it cut off). */
  public FileChannel openAtOffset(TusUpload u) throws IOException {
    FileChannel ch = FileChannel.open(part(u.id), StandardOpenOption.WRITE);
    long off = u.offset();
    if (ch.size() != off) {
      ch.truncate(off);
    }
    ch.position(off);
    return ch;
  }

  /** Records {@code n} more bytes as received: fsync the bytes, then the state. */
  public void advance(TusUpload u, FileChannel ch, long n) throws IOException {
    ch.force(true);
    synchronized (u) {
      u.offset += n;
    }
    persist(u);
  }

  /**
   * Turns a fully received upload into a blob: ID and delete token into the state first, then the
   * part file adopted. Keeps the record until the upload's or the blob's expiry, whichever is
   * sooner.
   */
  public void complete(TusUpload u) throws IOException {
    Instant now = clock.instant();
    synchronized (u) {
      if (u.completed || u.blobId != null) {
        return;
      }
      BlobCatalog.Created c =
          catalog.reserveIdentity(
              u.length, u.owner, u.lifetime.expiresAt(now), u.lifetime.downloads(), now);
      u.blobId = c.meta().id();
      u.deleteToken = c.deleteToken();
      u.completedAt = now;
      u.blobExpiresAt = c.meta().expiresAt();
      Instant blobExpiry = c.meta().expiresAt();
      if (blobExpiry.isBefore(u.expiresAt)) {
        u.expiresAt = blobExpiry;
      }
    }
    persist(u);
    catalog.adopt(part(u.id), blobMeta(u));
    synchronized (u) {
      u.completed = true;
    }
  }

  /** Removes an upload (termination); an unfinished one gives its reservation back. */
  public void remove(TusUpload u) throws IOException {
    boolean release;
    synchronized (u) {
      if (u.removed) {
        return;
      }
      u.removed = true;
      release = !u.completed && u.blobId == null;
    }
    uploads.remove(u.id);
    if (release) {
      quotas.release(u.owner, u.length);
    }
    removeFiles(u.id);
  }

  private void removeFiles(String id) throws IOException {
    Files.deleteIfExists(state(id));
    Files.deleteIfExists(part(id));
  }

  /** Removes uploads expired at this instant (not those with a PATCH in progress). */
  public int sweep() {
    Instant now = clock.instant();
    int n = 0;
    for (TusUpload u : new ArrayList<>(uploads.values())) {
      boolean expired;
      synchronized (u) {
        expired = !now.isBefore(u.expiresAt) && !u.busy;
      }
      if (expired) {
        try {
          remove(u);
          n++;
        } catch (IOException e) {
          log.warn("tus: an expired upload could not be removed: {}", LogSafe.of(e));
        }
      }
    }
    return n;
  }

  public int size() {
    return uploads.size();
  }
}
