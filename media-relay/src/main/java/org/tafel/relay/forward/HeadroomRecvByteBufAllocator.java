package org.tafel.relay.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

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

  /**
   * One instance per relay socket: it remembers the root of the buffer it handed out last. Reads up
   * to 16 datagrams per readiness. (One per readiness saves the {@code recvmsg} that ends a read
   * loop with EAGAIN — 7 % less CPU with 200 calls at 100 packets/s — but costs 10–40 % at full
   * rate, where it multiplies loop iterations and splits writes; see docs/performance.md.)
   */
  public HeadroomRecvByteBufAllocator() {
    super(16);
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
      @Override
      public ByteBuf allocate(ByteBufAllocator alloc) {
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
