package org.tafel.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": the delay doubles from {@code first} per attempt up to
 * {@code max}, and half of it is random, so many clients retrying at once spread out but still back
 * off. Shared by the signaling client's reconnects and the blob client's retries.
 */
public final class Backoff {
  private Backoff() {}

  /** The delay before retry number {@code attempt} (0 = the first retry), in milliseconds. */
  public static long delayMillis(
      Duration first, Duration max, int attempt, RandomGenerator random) {
    long cap = Math.min(first.toMillis() << Math.min(Math.max(attempt, 0), 20), max.toMillis());
    return cap / 2 + random.nextLong(cap / 2 + 1);
  }
}
