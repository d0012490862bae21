package org.tafel.relay.transport;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Flushes written sockets once per event-loop iteration instead of once per read: every datagram
 * that the relay sockets and listeners of one loop received in one epoll round is written first,
 * then each socket is flushed once, so a UDP socket sends them with one {@code sendmmsg}.
 *
 * <p>It also owns the loop's {@link NativeArena}, whose datagrams stay valid until the flush.
 */
public final class FlushBatch implements Runnable {
  /** A socket that can be marked for the batch; the flag avoids flushing it twice. */
  public static class Target {
    private final Channel channel;
    private final EventExecutor loop;
    private boolean pending;

    public Target(Channel channel) {
      this.channel = channel;
      this.loop = null;
    }

    /** For sockets that are not Netty channels: they override {@link #flush()}. */
    protected Target(EventExecutor loop) {
      this.channel = null;
      this.loop = loop;
    }

    /** Sends what was queued since the last flush. */
    protected void flush() {
      channel.flush();
    }

    private EventExecutor loop() {
      return channel != null ? channel.eventLoop() : loop;
    }
  }

  private static final FastThreadLocal<FlushBatch> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected FlushBatch initialValue() {
          return new FlushBatch();
        }
      };

  /**
   * How long a queued datagram may wait for the end of its loop iteration: past it, the next native
   * UDP read finds everything queued so far sent first. Batching saves system calls at full rate,
   * but a datagram held while the loop reads many more is a datagram the peer cannot answer yet.
   * TCP and TLS reads (through Netty) do not check it: checking before each of them too raised the
   * median round trip over TCP in two A/Bs (docs/performance.md), so a loop reading streams for
   * long holds what it queued until the iteration ends.
   */
  static final long HOLD_NANOS = holdNanosOrDefault();

  /** The system property that sets the hold bound, in microseconds (a tuning knob). */
  public static final String HOLD_PROPERTY = "tafel.relay.holdMicros";

  private static final long DEFAULT_HOLD_MICROS = 50;
  private static final long MAX_HOLD_MICROS = 1_000_000_000L;

  /**
   * The hold bound in nanoseconds for a value of {@link #HOLD_PROPERTY} (null: the default, 50 µs).
   * The relay checks the property with this before it starts, so a mistyped value stops it with a
   * message rather than being replaced by the default.
   *
   * @throws IllegalArgumentException naming the property and the values it takes
   */
  public static long holdNanos(String micros) {
    if (micros == null) {
      return DEFAULT_HOLD_MICROS * 1000L;
    }
    try {
      long v = Long.parseLong(micros.trim());
      if (v >= 0 && v <= MAX_HOLD_MICROS) {
        return v * 1000L;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "-D"
            + HOLD_PROPERTY
            + "="
            + micros
            + ": expected a whole number of microseconds from 0 to "
            + MAX_HOLD_MICROS
            + " (default "
            + DEFAULT_HOLD_MICROS
            + ")");
  }

  private static long holdNanosOrDefault() {
    try {
      return holdNanos(System.getProperty(HOLD_PROPERTY));
    } catch (IllegalArgumentException e) {
      return DEFAULT_HOLD_MICROS * 1000L; // only without RelayServer, which refuses to start
    }
  }

  private final ArrayList<Target> pending = new ArrayList<>();
  private boolean scheduled;
  private NativeArena arena;

  /** When the first socket of the current batch was marked ({@link System#nanoTime}). */
  private long since;

  private FlushBatch() {}

  /** The batch of the calling event loop. */
  static FlushBatch current() {
    return CURRENT.get();
  }

  /** This loop's arena for natively read datagrams; created on first use. */
  NativeArena arena() {
    NativeArena a = arena;
    if (a == null) {
      a = new NativeArena(this);
      arena = a;
    }
    return a;
  }

  /** Marks a socket written on this event loop; it is flushed when the loop runs its tasks. */
  public static void mark(Target t) {
    if (t.pending) {
      return;
    }
    t.pending = true;
    FlushBatch b = CURRENT.get();
    if (b.pending.isEmpty()) {
      b.since = System.nanoTime();
    }
    b.pending.add(t);
    if (!b.scheduled) {
      b.scheduled = true;
      t.loop().execute(b);
    }
  }

  /** The loop's task at the end of an iteration: {@link #flushNow()}. */
  @Override
  public void run() {
    scheduled = false;
    flushNow();
  }

  /**
   * Between two reads of a loop iteration: flushes now if the oldest queued datagram has waited
   * longer than {@link #HOLD_NANOS}. The task already scheduled still runs at the end of the
   * iteration and flushes what was queued after this.
   */
  void flushIfHeld() {
    if (!pending.isEmpty() && System.nanoTime() - since > HOLD_NANOS) {
      flushNow();
    }
  }

  /**
   * Flushes every marked socket now; then the arena's datagrams that were not pinned by a read in
   * progress are free again. Called by the end-of-iteration task, and within an iteration when a
   * datagram has waited too long or the arena is full; the task, once scheduled, stays scheduled
   * and flushes whatever is queued after this.
   */
  void flushNow() {
    for (int i = 0; i < pending.size(); i++) {
      Target t = pending.get(i);
      t.pending = false;
      t.flush();
    }
    pending.clear();
    if (arena != null) {
      arena.flushed();
    }
  }
}
