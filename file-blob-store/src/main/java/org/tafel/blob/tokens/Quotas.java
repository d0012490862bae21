package org.tafel.blob.tokens;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-pseudonym limits: bytes held (stored blobs plus uploads in progress, reserved at their
 * declared or largest possible size) and uploads started per minute (a fixed one-minute window on
 * the injected clock). Thread-safe; state is memory only and rebuilt from the stored blobs at
 * start.
 */
public final class Quotas {
  private final long bytesPerOwner;
  private final int uploadsPerMinute;
  private final Clock clock;
  private final Map<String, Long> bytes = new HashMap<>();
  private final Map<String, long[]> window = new HashMap<>();

  public Quotas(long bytesPerOwner, int uploadsPerMinute, Clock clock) {
    this.bytesPerOwner = bytesPerOwner;
    this.uploadsPerMinute = uploadsPerMinute;
    this.clock = clock;
  }

  /**
   * Counts one upload start; false when {@code owner} already started its allowance this minute.
   */
  public synchronized boolean tryStartUpload(String owner) {
    long minute = clock.millis() / 60_000;
    long[] w = window.computeIfAbsent(owner, k -> new long[] {minute, 0});
    if (w[0] != minute) {
      w[0] = minute;
      w[1] = 0;
    }
    if (w[1] >= uploadsPerMinute) {
      return false;
    }
    w[1]++;
    return true;
  }

  /** Seconds until the per-minute window of this clock turns over (for Retry-After). */
  public long secondsToNextWindow() {
    return 60 - (clock.millis() / 1000) % 60;
  }

  /** Reserves {@code n} bytes for {@code owner}; false (and nothing reserved) beyond the quota. */
  public synchronized boolean tryReserve(String owner, long n) {
    long held = bytes.getOrDefault(owner, 0L);
    if (n < 0 || held + n > bytesPerOwner) {
      return false;
    }
    bytes.put(owner, held + n);
    return true;
  }

  /** Adds bytes unconditionally (blobs found at start). */
  public synchronized void add(String owner, long n) {
    bytes.merge(owner, n, Long::sum);
  }

  /** Gives back {@code n} bytes of {@code owner}'s. */
  public synchronized void release(String owner, long n) {
    long left = bytes.getOrDefault(owner, 0L) - n;
    if (left <= 0) {
      bytes.remove(owner);
    } else {
      bytes.put(owner, left);
    }
  }

  /** Forgets rate windows that have passed (called by the sweeper so the map stays small). */
  public synchronized void prune() {
    long minute = clock.millis() / 60_000;
    window.values().removeIf(w -> w[0] != minute);
  }
}
