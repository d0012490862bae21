package org.tafel.blob.expiry;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.BlobMetrics;
import org.tafel.blob.LogSafe;
import org.tafel.blob.storage.BlobCatalog;
import org.tafel.blob.storage.BlobStorage;
import org.tafel.blob.tokens.Quotas;

/**
 * Reclaims what has expired: blobs past their expiry, tus uploads past {@code Upload-Expires}, and
 * temporary files no write owns. Runs once at start and then every interval on the executor it is
 * given; tests call {@link #runOnce()} after moving their clock.
 */
public final class Sweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  private final BlobCatalog catalog;
  private final BlobStorage storage;
  private final IntSupplier uploads;
  private final Quotas quotas;
  private final BlobMetrics metrics;
  private ScheduledFuture<?> task;

  /**
   * @param uploads sweeps the tus uploads and returns how many it removed
   */
  public Sweeper(
      BlobCatalog catalog,
      BlobStorage storage,
      IntSupplier uploads,
      Quotas quotas,
      BlobMetrics metrics) {
    this.catalog = catalog;
    this.storage = storage;
    this.uploads = uploads;
    this.quotas = quotas;
    this.metrics = metrics;
  }

  public synchronized void schedule(ScheduledExecutorService executor, Duration interval) {
    long ms = interval.toMillis();
    task = executor.scheduleWithFixedDelay(this::runQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * One pass, synchronously.
   *
   * @param blobs expired blobs removed
   * @param uploads abandoned or finished-and-expired tus uploads removed
   * @param temporaries stale temporary files removed
   */
  public record Pass(int blobs, int uploads, int temporaries) {}

  public synchronized Pass runOnce() throws IOException {
    int b = catalog.sweepExpired();
    int u = uploads.getAsInt();
    int t = storage.sweepTemporaries();
    quotas.prune();
    metrics.swept(BlobMetrics.Swept.BLOB, b);
    metrics.swept(BlobMetrics.Swept.UPLOAD, u);
    metrics.swept(BlobMetrics.Swept.TEMP, t);
    if (b + u + t > 0) {
      log.info(
          "blob sweeper: removed {} expired blobs, {} tus uploads, {} temporary files", b, u, t);
    }
    return new Pass(b, u, t);
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (IOException | RuntimeException e) {
      log.warn("blob sweeper: pass failed: {}", LogSafe.of(e));
    }
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}
