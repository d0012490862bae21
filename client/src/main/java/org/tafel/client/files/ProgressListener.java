package org.tafel.client.files;

/**
 * Told how far a transfer got. {@link BlobClient} calls it from the transferring thread with
 * non-decreasing {@code done}, at most {@code total}, and once with {@code done == total} when the
 * transfer succeeded.
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
