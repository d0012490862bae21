package org.tafel.relay.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an event loop busy until released (at most 10 s), so datagrams queue up on its sockets in
 * the meantime and all become readable at once.
 */
public final class LoopHold implements AutoCloseable {
  private final CountDownLatch release = new CountDownLatch(1);

  private LoopHold() {}

  /** Returns once the loop runs the holding task. */
  public static LoopHold hold(EventExecutor loop) throws InterruptedException {
    LoopHold h = new LoopHold();
    CountDownLatch holding = new CountDownLatch(1);
    loop.execute(
        () -> {
          holding.countDown();
          try {
            h.release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertTrue(holding.await(5, TimeUnit.SECONDS), "the loop did not run the holding task");
    return h;
  }

  /** Lets the loop go on. */
  @Override
  public void close() {
    release.countDown();
  }
}
