package org.tafel.client.files;

/**
 * Told how far a transfer got. {@link BlobClient} calls it one call at a time (from the calling
 * thread or, while a PATCH body is sent, from the HTTP client's), with {@code done} never
 * decreasing and below {@code total} until, once, {@code done == total} when the transfer
 * succeeded.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * @param done bytes transferred so far
   * @param total bytes of the whole transfer
   */
  void progress(long done, long total);

  ProgressListener NONE = (done, total) -> {};
}
