package org.tafel.relay.quota;

/**
 * A byte token bucket refilled continuously; one second of burst. Used by one event loop only, so
 * it needs no synchronisation and allocates nothing.
 */
public final class TokenBucket {
  private final long bytesPerSecond;
  private long tokens;
  private long lastNanos;

  public TokenBucket(long bytesPerSecond, long nowNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code bytes} tokens if there are enough; false means drop. */
  public boolean tryTake(int bytes, long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      long refill =
          elapsed >= 1_000_000_000L ? bytesPerSecond : elapsed * bytesPerSecond / 1_000_000_000L;
      if (refill > 0) {
        tokens = Math.min(bytesPerSecond, tokens + refill);
        lastNanos = nowNanos;
      }
    }
    if (tokens < bytes) {
      return false;
    }
    tokens -= bytes;
    return true;
  }
}
