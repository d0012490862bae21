package org.tafel.relay.transport;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Flushes written channels once per event-loop iteration instead of once per read: every datagram
 * that the relay sockets and listeners of one loop received in one epoll round is written first,
 * then each channel is flushed once, so a UDP listener sends them with one {@code sendmmsg}.
 */
public final class FlushBatch implements Runnable {
  /** A channel that can be marked for the batch; the flag avoids flushing it twice. */
  public static final class Target {
    private final Channel channel;
    private boolean pending;

    public Target(Channel channel) {
      this.channel = channel;
    }
  }

  private static final FastThreadLocal<FlushBatch> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected FlushBatch initialValue() {
          return new FlushBatch();
        }
      };

  private final ArrayList<Target> pending = new ArrayList<>();
  private boolean scheduled;

  private FlushBatch() {}

  /** Marks a channel written on this event loop; it is flushed when the loop runs its tasks. */
  public static void mark(Target t) {
    if (t.pending) {
      return;
    }
    t.pending = true;
    FlushBatch b = CURRENT.get();
    b.pending.add(t);
    if (!b.scheduled) {
      b.scheduled = true;
      t.channel.eventLoop().execute(b);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    for (int i = 0; i < pending.size(); i++) {
      Target t = pending.get(i);
      t.pending = false;
      t.channel.flush();
    }
    pending.clear();
  }
}
