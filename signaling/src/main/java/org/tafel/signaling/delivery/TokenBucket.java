package org.tafel.signaling.delivery;

import java.time.Clock;

/** A token bucket: {@code rate} tokens per second up to {@code burst}. Thread-safe. */
public final class TokenBucket {
  private final double rate;
  private final double burst;
  private final Clock clock;
  private double tokens;
  private long last;

  public TokenBucket(double rate, int burst, Clock clock) {
    this.rate = rate;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.millis();
  }

  /** Takes one token; false when none is left. */
  public synchronized boolean tryTake() {
    long now = clock.millis();
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * rate / 1000.0);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
