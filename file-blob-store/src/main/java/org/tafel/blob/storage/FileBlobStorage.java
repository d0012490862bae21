package org.tafel.blob.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.LogSafe;

/**
 * Blobs as files under one directory:
 *
 * <pre>
 * data/ab/ab12…(32 hex)        the bytes
 * data/ab/ab12….meta           their metadata (JSON)
 * tmp/                         bytes and metadata being written
 * </pre>
 *
 * <p>A commit: the bytes are fsync'ed in {@code tmp/}; the metadata is written to {@code tmp/},
 * fsync'ed and renamed to {@code ID.meta}; then the bytes are renamed to {@code ID}; then the shard
 * directory is fsync'ed, which makes both renames durable; only then is the upload acknowledged. A
 * blob exists when both files do: a crash between the two renames leaves metadata without bytes
 * (or, on a filesystem that reorders renames, bytes without metadata) for an unacknowledged upload,
 * and {@link #loadAll} removes either half at the next start. Deleting removes the bytes first, so
 * a blob never becomes visible again half-deleted.
 */
public final class FileBlobStorage implements BlobStorage {
  private static final Logger log = LoggerFactory.getLogger(FileBlobStorage.class);
  private static final String META = ".meta";
  private static final java.nio.file.attribute.FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path data;
  private final Path tmp;
  private final Set<Path> pending = ConcurrentHashMap.newKeySet();

  public FileBlobStorage(Path directory) throws IOException {
    this.data = directory.resolve("data");
    this.tmp = directory.resolve("tmp");
    Files.createDirectories(data);
    Files.createDirectories(tmp);
  }

  /** The temporary directory (also used by the tus store for its metadata writes). */
  public Path tmpDirectory() {
    return tmp;
  }

  private Path shard(String id) {
    return data.resolve(id.substring(0, 2));
  }

  Path dataFile(String id) {
    return shard(id).resolve(id);
  }

  private Path metaFile(String id) {
    return shard(id).resolve(id + META);
  }

  @Override
  public PendingBlob begin() throws IOException {
    // Claimed before it exists, so a concurrent sweep never takes it for a leftover.
    Path file = tmp.resolve("blob-" + java.util.UUID.randomUUID() + ".part");
    pending.add(file);
    FileChannel ch;
    try {
      Files.createFile(file, FILE_MODE);
      ch = FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (IOException e) {
      pending.remove(file);
      Files.deleteIfExists(file);
      throw e;
    }
    return new FilePending(file, ch);
  }

  @Override
  public void adopt(Path file, BlobMeta meta) throws IOException {
    Durable.fsync(file);
    place(file, meta);
  }

  /** Metadata sidecar, then the bytes, then one fsync of the shard directory. */
  private void place(Path bytes, BlobMeta meta) throws IOException {
    Path shard = shard(meta.id());
    if (!Files.isDirectory(shard)) {
      Files.createDirectories(shard);
      Durable.fsyncDirectory(data);
    }
    Path metaTemp = Files.createTempFile(tmp, "meta-", ".tmp", FILE_MODE);
    try {
      Files.write(metaTemp, meta.toJson(), StandardOpenOption.WRITE);
      Durable.fsync(metaTemp);
      Durable.rename(metaTemp, metaFile(meta.id()));
      Durable.rename(bytes, dataFile(meta.id()));
      Durable.fsyncDirectory(shard);
    } catch (IOException e) {
      Files.deleteIfExists(dataFile(meta.id()));
      Files.deleteIfExists(metaFile(meta.id()));
      throw e;
    } finally {
      Files.deleteIfExists(metaTemp);
    }
  }

  @Override
  public Optional<BlobContent> open(String id) throws IOException {
    if (!BlobIds.isValid(id)) {
      return Optional.empty();
    }
    try {
      FileChannel ch = FileChannel.open(dataFile(id), StandardOpenOption.READ);
      long size = ch.size();
      return Optional.of(
          new BlobContent() {
            @Override
            public long size() {
              return size;
            }

            @Override
            public FileChannel channel() {
              return ch;
            }

            @Override
            public void close() {
              try {
                ch.close();
              } catch (IOException e) {
                // nothing to do
              }
            }
          });
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void rewriteMeta(BlobMeta meta) throws IOException {
    Durable.writeAtomically(tmp, metaFile(meta.id()), meta.toJson());
  }

  @Override
  public void delete(String id) throws IOException {
    Files.deleteIfExists(dataFile(id));
    Files.deleteIfExists(metaFile(id));
    Durable.fsyncDirectory(shard(id));
  }

  @Override
  public List<BlobMeta> loadAll() throws IOException {
    List<BlobMeta> out = new ArrayList<>();
    int orphans = 0;
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(data)) {
      for (Path shard : shards) {
        if (!Files.isDirectory(shard)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
          for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(META)) {
              String id = name.substring(0, name.length() - META.length());
              if (!BlobIds.isValid(id) || !Files.exists(dataFile(id))) {
                Files.deleteIfExists(f);
                orphans++;
                continue;
              }
              try {
                BlobMeta meta = BlobMeta.fromJson(Files.readAllBytes(f));
                if (!meta.id().equals(id)) {
                  throw new IOException("id differs from file name");
                }
                out.add(meta);
              } catch (IOException e) {
                log.warn("blob metadata unreadable, blob removed: {}", LogSafe.of(e.getMessage()));
                Files.deleteIfExists(dataFile(id));
                Files.deleteIfExists(f);
                orphans++;
              }
            } else if (!Files.exists(shard.resolve(name + META))) {
              Files.deleteIfExists(f);
              orphans++;
            }
          }
        }
        Durable.fsyncDirectory(shard);
      }
    }
    if (orphans > 0) {
      log.info("blob store: removed {} half-written files left by a crash", orphans);
    }
    return out;
  }

  @Override
  public int sweepTemporaries() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
      for (Path f : files) {
        if (!pending.contains(f) && isStale(f)) {
          if (Files.deleteIfExists(f)) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /**
   * Metadata temporaries live for one write; a file untouched for a minute that no pending write
   * owns is garbage (a pending blob's file is in {@link #pending} whatever its age).
   */
  private static boolean isStale(Path f) {
    try {
      String name = f.getFileName().toString();
      if (name.startsWith("blob-")) {
        return true;
      }
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis();
      return age > 60_000;
    } catch (IOException e) {
      return true;
    }
  }

  /** Removes every temporary file; only before anything is served. */
  public int clearTemporaries() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
      for (Path f : files) {
        if (Files.deleteIfExists(f)) {
          n++;
        }
      }
    }
    return n;
  }

  private final class FilePending implements PendingBlob {
    private final Path file;
    private final FileChannel channel;
    private boolean done;

    FilePending(Path file, FileChannel channel) {
      this.file = file;
      this.channel = channel;
    }

    @Override
    public WritableByteChannel channel() {
      return channel;
    }

    @Override
    public synchronized void commit(BlobMeta meta) throws IOException {
      if (done) {
        throw new IllegalStateException("already committed or discarded");
      }
      try {
        channel.force(true);
        channel.close();
        place(file, meta);
        done = true;
      } finally {
        if (!done) {
          close();
        }
        pending.remove(file);
      }
    }

    @Override
    public synchronized void close() {
      if (done) {
        return;
      }
      done = true;
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        pending.remove(file);
      }
    }
  }
}
