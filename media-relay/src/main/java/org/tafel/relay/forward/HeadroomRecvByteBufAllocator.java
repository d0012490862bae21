package org.tafel.relay.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Receive buffers for relay sockets with free bytes in front of the datagram, so the ChannelData
 * header or the Data indication header is written in place before the payload ({@link Headroom}).
 *
 * <p>The buffer handed to the transport is a retained slice starting {@link #HEADROOM} bytes into a
 * pooled root buffer; native epoll slices it again per datagram, NIO passes it through. Either way
 * the datagram's index 0 sits at root offset {@code HEADROOM}.
 */
public final class HeadroomRecvByteBufAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
  /** Bytes reserved in front: a Data indication header with an IPv6 XOR-PEER-ADDRESS. */
  public static final int HEADROOM = 48;

  /** Largest datagram a relay socket receives whole; larger ones arrive truncated and drop. */
  public static final int MAX_DATAGRAM = 4096 - HEADROOM - 4;

  private ByteBuf lastRoot;

  /** Datagrams a busy relay socket reads per readiness, at most. */
  static final int BUSY_READS = 16;

  /** A quiet socket reported ready again within this time had more queued than it read. */
  static final long AGAIN_NANOS = 1_000_000;

  /**
   * One instance per relay socket: it remembers the root of the buffer it handed out last.
   *
   * <p>The number of datagrams per readiness adapts to what the socket holds. A busy socket reads
   * up to {@value #BUSY_READS}, so one loop iteration forwards a client's datagrams in one write. A
   * readiness that found a single datagram (the second read returned EAGAIN) marks the socket quiet
   * — a call at 50 packets/s — and a quiet socket reads one datagram per readiness, which saves
   * that EAGAIN {@code recvmsg}, half its receive calls. Netty 4.2's transports poll
   * level-triggered, so a quiet socket that had more queued is reported again by the next poll
   * ({@code RelaySocketReadTest}); when that happens within {@link #AGAIN_NANOS} it is busy again.
   */
  public HeadroomRecvByteBufAllocator() {
    super(BUSY_READS);
  }

  /**
   * The root buffer of the most recent receive buffer. The transport reads one datagram into each
   * buffer and fires it before allocating the next, so during {@code channelRead} this is the root
   * of the datagram being handled. Only the channel's event loop calls this.
   */
  public ByteBuf lastRoot() {
    return lastRoot;
  }

  @Override
  public Handle newHandle() {
    return new MaxMessageHandle() {
      private boolean quiet;
      private long lastReadyNanos;
      private int attempts;

      @Override
      public void reset(ChannelConfig config) {
        super.reset(config);
        long now = System.nanoTime();
        if (quiet && now - lastReadyNanos < AGAIN_NANOS) {
          quiet = false;
        }
        lastReadyNanos = now;
        attempts = 0;
      }

      @Override
      public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
        return !quiet && super.continueReading(maybeMoreDataSupplier);
      }

      @Override
      public void readComplete() {
        super.readComplete();
        if (attempts == 2 && lastBytesRead() <= 0) {
          quiet = true; // one datagram, then EAGAIN
        }
      }

      @Override
      public ByteBuf allocate(ByteBufAllocator alloc) {
        attempts++;
        ByteBuf root = alloc.directBuffer(HEADROOM + MAX_DATAGRAM + 4);
        ByteBuf view = root.retainedSlice(HEADROOM, MAX_DATAGRAM);
        root.release();
        lastRoot = root;
        view.clear();
        return view;
      }

      @Override
      public int guess() {
        return MAX_DATAGRAM;
      }
    };
  }
}
