package org.tafel.signaling.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.signaling.store.EnvelopeStore;

/**
 * Deletes expired envelopes through the committer and turns each into an {@code expired} receipt
 * for its sender (DESIGN.md §4: expiry is never a silent drop). Expiry counts from arrival, by the
 * injected clock; delivery also checks it, so an expired envelope is never delivered even before a
 * sweep.
 */
public final class ExpirySweeper {
  private static final int LIMIT = 1000;

  private final GroupCommitter committer;
  private final Router router;
  private final Clock clock;
  private final Duration receiptLifetime;
  private final AtomicBoolean running = new AtomicBoolean();

  public ExpirySweeper(
      GroupCommitter committer, Router router, Clock clock, Duration receiptLifetime) {
    this.committer = committer;
    this.router = router;
    this.clock = clock;
    this.receiptLifetime = receiptLifetime;
  }

  /** Periodic entry point: sweeps unless a sweep is already running. */
  public void tick() {
    if (running.compareAndSet(false, true)) {
      sweep().whenComplete((n, e) -> running.set(false));
    }
  }

  /** Sweeps everything expired now; completes with the number of envelopes expired. */
  public CompletableFuture<Integer> sweep() {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    step(0, done);
    return done;
  }

  private void step(int sofar, CompletableFuture<Integer> done) {
    long now = clock.millis();
    boolean queued =
        committer.submit(
            new EnvelopeStore.Expire(now, now + receiptLifetime.toMillis(), LIMIT),
            o -> {
              if (o instanceof EnvelopeStore.Expired ex) {
                router.expired(ex);
                if (ex.envelopes().size() == LIMIT) {
                  step(sofar + LIMIT, done);
                } else {
                  done.complete(sofar + ex.envelopes().size());
                }
              } else {
                done.completeExceptionally(
                    new IllegalStateException(
                        "sweep: "
                            + (o instanceof EnvelopeStore.Refused r
                                ? r.code()
                                : ErrorCode.INTERNAL)));
              }
            });
    if (!queued) {
      done.completeExceptionally(new IllegalStateException("sweep: committer not accepting"));
    }
  }
}
