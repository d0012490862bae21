package org.tafel.blob;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.tafel.protocol.metrics.Counter;
import org.tafel.protocol.metrics.MetricsRegistry;

/**
 * The blob store's metrics. Labels come from the fixed enums below; no blob ID, upload ID,
 * pseudonym or address is ever a label.
 */
public final class BlobMetrics {
  /** How an upload request ended. */
  public enum UploadOutcome {
    /** A blob was created (POST 201, or the tus request that completed an upload). */
    CREATED,
    /** A tus upload was created and is not complete yet. */
    STARTED,
    /** A tus PATCH was stored and the upload is not complete yet. */
    CHUNK,
    TOO_LARGE,
    UNAUTHORIZED,
    QUOTA,
    RATE_LIMITED,
    BUSY,
    BAD_REQUEST,
    CHECKSUM_MISMATCH,
    OFFSET_MISMATCH,
    ABORTED,
    FAILED
  }

  /** How a GET or HEAD of a blob ended. */
  public enum DownloadOutcome {
    FULL,
    PARTIAL,
    NOT_MODIFIED,
    NOT_FOUND,
    UNSATISFIABLE
  }

  /** Why a blob went away. */
  public enum Removal {
    EXPIRED,
    DOWNLOADS_DONE,
    DELETED
  }

  /** What a sweeper pass reclaimed. */
  public enum Swept {
    BLOB,
    UPLOAD,
    TEMP
  }

  private final MetricsRegistry registry;
  private final Counter[] blobUploads = new Counter[UploadOutcome.values().length];
  private final Counter[] tusUploads = new Counter[UploadOutcome.values().length];
  private final Counter[] downloads = new Counter[DownloadOutcome.values().length];
  private final Counter[] removals = new Counter[Removal.values().length];
  private final Counter[] swept = new Counter[Swept.values().length];
  public final Counter bytesUploaded;
  public final Counter bytesDownloaded;

  public BlobMetrics(MetricsRegistry registry) {
    this.registry = registry;
    for (UploadOutcome o : UploadOutcome.values()) {
      blobUploads[o.ordinal()] =
          registry.counter(
              "tafel_blob_uploads_total",
              "Upload requests by API and outcome (tus: creations and PATCHes).",
              "api",
              "blobs",
              "outcome",
              label(o));
      tusUploads[o.ordinal()] =
          registry.counter(
              "tafel_blob_uploads_total",
              "Upload requests by API and outcome (tus: creations and PATCHes).",
              "api",
              "tus",
              "outcome",
              label(o));
    }
    for (DownloadOutcome o : DownloadOutcome.values()) {
      downloads[o.ordinal()] =
          registry.counter(
              "tafel_blob_downloads_total",
              "GET and HEAD of blobs by outcome.",
              "outcome",
              label(o));
    }
    for (Removal r : Removal.values()) {
      removals[r.ordinal()] =
          registry.counter(
              "tafel_blob_removed_total", "Blobs removed, by reason.", "reason", label(r));
    }
    for (Swept s : Swept.values()) {
      swept[s.ordinal()] =
          registry.counter(
              "tafel_blob_swept_total",
              "Items the sweeper reclaimed: expired blobs, abandoned tus uploads, stale"
                  + " temporary files.",
              "kind",
              label(s));
    }
    bytesUploaded =
        registry.counter("tafel_blob_received_bytes_total", "Request body bytes stored.");
    bytesDownloaded = registry.counter("tafel_blob_sent_bytes_total", "Blob bytes sent.");
  }

  private static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  public void upload(boolean tus, UploadOutcome o) {
    (tus ? tusUploads : blobUploads)[o.ordinal()].increment();
  }

  public long uploads(boolean tus, UploadOutcome o) {
    return (tus ? tusUploads : blobUploads)[o.ordinal()].get();
  }

  public void download(DownloadOutcome o) {
    downloads[o.ordinal()].increment();
  }

  public void removed(Removal r) {
    removals[r.ordinal()].increment();
  }

  public void swept(Swept s, long n) {
    swept[s.ordinal()].add(n);
  }

  public void gauge(String name, String help, LongSupplier value) {
    registry.gauge(name, help, value);
  }
}
