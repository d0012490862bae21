package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import org.tafel.relay.allocation.Allocation;

/** The way back to one client: its 5-tuple on a UDP listener, or its TCP/TLS connection. */
public interface ClientLink {
  /** The client's transport address as this server sees it. */
  InetSocketAddress remote();

  /** The server address the client talks to. */
  InetSocketAddress local();

  /** Queues a framed STUN message or ChannelData for the client; takes ownership of {@code msg}. */
  void write(ByteBuf msg);

  /**
   * Queues a datagram that lies in the event loop's {@link NativeArena} (valid until the loop's
   * flush); links that send later than that copy it. The view itself is never released.
   */
  default void writeArena(ByteBuf view) {
    int len = view.readableBytes();
    ByteBuf copy = Transports.ALLOCATOR.directBuffer(len);
    copy.writeBytes(view, view.readerIndex(), len);
    write(copy);
  }

  /** Flushes what {@link #write} queued. */
  void flush();

  /** The batch target that flushes this link's channel at the end of the loop iteration. */
  FlushBatch.Target flushTarget();

  /** True for TCP and TLS, where ChannelData is padded to 4 bytes. */
  boolean stream();

  /** The event loop that owns this link and everything bound to it. */
  EventLoop eventLoop();

  /** True when the client's queue has room (backpressure over TCP). */
  boolean writable();

  /** Binds an allocation to this 5-tuple; later packets from it find the allocation. */
  void attach(Allocation allocation);

  /** Unbinds the allocation if it is the one bound. */
  void detach(Allocation allocation);
}
