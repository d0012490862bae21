package org.tafel.blob.http;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.tafel.blob.BlobConfig;
import org.tafel.blob.BlobMetrics;
import org.tafel.blob.storage.BlobCatalog;
import org.tafel.blob.storage.BlobStorage;
import org.tafel.blob.tokens.Quotas;
import org.tafel.blob.tokens.UploadAuthorizer;

/**
 * What the endpoints share: limits, the catalog and storage, quotas, the token check, the I/O
 * executor (file writes, syncs and renames never run on an event loop), the clock and the node's
 * concurrent-upload slots.
 */
public record Services(
    BlobConfig.Limits limits,
    BlobCatalog catalog,
    BlobStorage storage,
    Quotas quotas,
    UploadAuthorizer authorizer,
    Executor io,
    Clock clock,
    BlobMetrics metrics,
    Slots uploadSlots) {

  /** A counting cap: request bodies being received at once on this node. */
  public static final class Slots {
    private final int max;
    private final Semaphore permits;

    public Slots(int max) {
      this.max = max;
      this.permits = new Semaphore(max);
    }

    public boolean tryAcquire() {
      return permits.tryAcquire();
    }

    public void release() {
      permits.release();
    }

    public int inUse() {
      return max - permits.availablePermits();
    }
  }
}
