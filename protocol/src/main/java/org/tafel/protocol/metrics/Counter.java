package org.tafel.protocol.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count; cheap to update from many threads at once. */
public final class Counter {

  private final LongAdder value = new LongAdder();

  Counter() {}

  /** Adds one. */
  public void increment() {
    value.increment();
  }

  /**
   * Adds {@code n}.
   *
   * @throws IllegalArgumentException if {@code n} is negative: counters never go down
   */
  public void add(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("counter increment: " + n + " (expected: >= 0)");
    }
    value.add(n);
  }

  /** The current total. */
  public long get() {
    return value.sum();
  }
}
