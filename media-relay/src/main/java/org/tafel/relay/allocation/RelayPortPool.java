package org.tafel.relay.allocation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay port range. Ports are handed out round robin so a freed port is not reused at once; a
 * port that fails to bind (in use by another process) is skipped.
 */
public final class RelayPortPool {
  private final int min;
  private final int size;
  private final AtomicInteger cursor = new AtomicInteger();
  private final ConcurrentHashMap.KeySetView<Integer, Boolean> inUse =
      ConcurrentHashMap.newKeySet();

  public RelayPortPool(int min, int max) {
    this.min = min;
    this.size = max - min + 1;
  }

  /** Reserves a free port, even when asked; -1 when every port is taken. */
  public int acquire(boolean even) {
    for (int i = 0; i < size; i++) {
      int p = min + Math.floorMod(cursor.getAndIncrement(), size);
      if (even && (p & 1) != 0) {
        continue;
      }
      if (inUse.add(p)) {
        return p;
      }
    }
    return -1;
  }

  public void release(int port) {
    inUse.remove(port);
  }

  public int inUse() {
    return inUse.size();
  }

  public int capacity() {
    return size;
  }
}
