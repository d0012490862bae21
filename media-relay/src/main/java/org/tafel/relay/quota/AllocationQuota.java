package org.tafel.relay.quota;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts live allocations per username and in total across event loops (control plane only). */
public final class AllocationQuota {
  /** What a reservation attempt found. */
  public enum Outcome {
    GRANTED,
    USER_QUOTA_REACHED,
    CAPACITY_REACHED
  }

  private final int perUser;
  private final int total;
  private final AtomicInteger live = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> byUser = new ConcurrentHashMap<>();

  public AllocationQuota(int perUser, int total) {
    this.perUser = perUser;
    this.total = total;
  }

  public Outcome reserve(String username) {
    if (live.incrementAndGet() > total) {
      live.decrementAndGet();
      return Outcome.CAPACITY_REACHED;
    }
    AtomicInteger n = byUser.computeIfAbsent(username, u -> new AtomicInteger());
    if (n.incrementAndGet() > perUser) {
      n.decrementAndGet();
      live.decrementAndGet();
      return Outcome.USER_QUOTA_REACHED;
    }
    return Outcome.GRANTED;
  }

  public void release(String username) {
    live.decrementAndGet();
    byUser.computeIfPresent(username, (u, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public int live() {
    return live.get();
  }
}
