package org.tafel.bench.load;

/**
 * Latencies in microseconds: 1 µs buckets below 10 ms, 100 µs buckets up to ~20 s (the last bucket
 * takes everything beyond). Not thread-safe: keep one per event loop and {@link #add} them.
 */
final class Histogram {
  private static final int FINE = 10_000;
  private static final int COARSE_STEP = 100;
  private static final int BUCKETS = FINE + 200_000;
  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;

  void recordNanos(long nanos) {
    long us = Math.max(0, nanos / 1000);
    int i = us < FINE ? (int) us : (int) Math.min(BUCKETS - 1, FINE + (us - FINE) / COARSE_STEP);
    counts[i]++;
    total++;
    max = Math.max(max, us);
  }

  void add(Histogram o) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += o.counts[i];
    }
    total += o.total;
    max = Math.max(max, o.max);
  }

  long count() {
    return total;
  }

  long maxMicros() {
    return max;
  }

  /** The value (µs) at quantile {@code q} in 0..1, or -1 when empty. */
  long percentileMicros(double q) {
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return i < FINE ? i : FINE + (long) (i - FINE) * COARSE_STEP;
      }
    }
    return max;
  }

  static String ms(long micros) {
    return micros < 0 ? "n/a" : String.format("%.3f", micros / 1000.0);
  }
}
