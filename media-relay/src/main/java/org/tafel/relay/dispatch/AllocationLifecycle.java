package org.tafel.relay.dispatch;

import java.util.concurrent.TimeUnit;
import org.tafel.relay.allocation.Allocation;

/**
 * Timers and teardown: an allocation's timer purges expired permissions and channels and frees the
 * allocation when its lifetime ends; freeing closes the relay socket and returns the port and the
 * quota.
 */
public final class AllocationLifecycle {
  private static final long MAX_TICK_MILLIS = 30_000;
  private final RelayContext ctx;

  public AllocationLifecycle(RelayContext ctx) {
    this.ctx = ctx;
  }

  /** (Re)arms the allocation's timer for its next expiry; call on its event loop. */
  public void schedule(Allocation a) {
    if (a.timer() != null) {
      a.timer().cancel(false);
    }
    long now = ctx.nowMillis();
    long next = a.purgeExpired(now);
    long delay = Math.max(10, Math.min(next - now, MAX_TICK_MILLIS));
    a.timer(a.link().eventLoop().schedule(() -> tick(a), delay, TimeUnit.MILLISECONDS));
  }

  private void tick(Allocation a) {
    if (a.closed()) {
      return;
    }
    if (a.expiresAtMillis() <= ctx.nowMillis()) {
      ctx.metrics().allocationsExpired.increment();
      free(a);
      return;
    }
    schedule(a);
  }

  /** Frees the allocation: idempotent, on its event loop. */
  public void free(Allocation a) {
    if (a.closed()) {
      return;
    }
    a.markClosed();
    if (a.timer() != null) {
      a.timer().cancel(false);
    }
    a.link().detach(a);
    if (a.relaySocket() != null) {
      a.relaySocket().close();
    }
    ctx.ports().release(a.relayPort());
    ctx.quota().release(a.username());
  }
}
