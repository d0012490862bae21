package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import org.tafel.relay.allocation.Allocation;

/**
 * A TCP or TLS connection to one client; it carries at most one allocation (RFC 8656 §3.1).
 *
 * <p>On the native UDP path a peer's datagram reaches a plain TCP client without a copy: its framed
 * ChannelData lies in the loop's {@link NativeArena}, the link queues its address, and the loop's
 * flush writes the queue with one gathering {@code sendmsg} on the connection's socket. What the
 * socket does not take then (its send buffer is full) is copied and handed to Netty's channel,
 * which writes it when the socket has room; until Netty's queue is empty again every frame goes
 * that way, and so does anything written with {@link #write} (after the frames queued before it),
 * so the stream keeps its order. TLS connections and other transports always copy.
 */
public final class StreamClientLink implements ClientLink {
  private final Channel channel;
  private final FlushBatch.Target flushTarget;
  private Allocation allocation;

  /** The socket written natively, or -1 when this connection copies into Netty (TLS, NIO). */
  private final int fd;

  /** Send descriptors of the queued arena frames (lent by the arena until the flush), or 0. */
  private long queue;

  private int queued;

  public StreamClientLink(Channel channel) {
    this.channel = channel;
    this.fd = nativeFd(channel);
    this.flushTarget =
        new FlushBatch.Target(channel) {
          @Override
          protected void flush() {
            StreamClientLink.this.flush();
          }
        };
  }

  private static int nativeFd(Channel channel) {
    if (channel instanceof EpollSocketChannel e
        && channel.pipeline().get(SslHandler.class) == null
        && NativeUdp.available()) {
      return e.fd().intValue();
    }
    return -1;
  }

  @Override
  public FlushBatch.Target flushTarget() {
    return flushTarget;
  }

  public Allocation allocation() {
    return allocation;
  }

  @Override
  public void attach(Allocation a) {
    this.allocation = a;
  }

  @Override
  public void detach(Allocation a) {
    if (allocation == a) {
      allocation = null;
    }
  }

  @Override
  public InetSocketAddress remote() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  @Override
  public InetSocketAddress local() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void write(ByteBuf msg) {
    if (queued > 0) {
      handOver(0);
    }
    channel.write(msg, channel.voidPromise());
  }

  @Override
  public void writeArena(ByteBuf view) {
    if (queued == NativeSocket.QUEUE) {
      writeQueued(); // may leave a remainder with Netty: checked next
    }
    // While frames are queued Netty's queue is empty (every write hands them over first), so it is
    // looked at only for the first frame of a batch, not per datagram.
    if (fd < 0 || (queued == 0 && !nettyQueueEmpty())) {
      ClientLink.super.writeArena(view); // a copy, behind what Netty holds
      return;
    }
    if (queue == 0) {
      queue = FlushBatch.current().arena().takeQueue();
    }
    long d = queue + (long) queued * NativeUdp.DESC_BYTES;
    PlatformDependent.putLong(d, view.memoryAddress() + view.readerIndex());
    PlatformDependent.putInt(d + 8, view.readableBytes());
    queued++;
  }

  @Override
  public void flush() {
    if (queued > 0) {
      writeQueued();
    }
    // On a natively written connection whose socket took every frame Netty holds nothing: no
    // pipeline pass for an empty flush. Links that copy (TLS, NIO) flush as before.
    if (fd < 0 || !nettyQueueEmpty()) {
      channel.flush();
    }
  }

  private boolean nettyQueueEmpty() {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out != null && out.totalPendingWriteBytes() == 0;
  }

  /**
   * Writes the queued frames with one {@code sendmsg}; what the socket did not take goes to Netty.
   * Only on the loop, while the frames are still in the arena (before its flush frees them).
   */
  private void writeQueued() {
    if (!channel.isOpen()) {
      release(); // the descriptor may be another socket's by now; the frames die with the stream
      return;
    }
    int written = NativeUdp.writeStream(fd, queue, queued);
    handOver(Math.max(written, 0)); // on an error Netty's write meets it too and closes
  }

  /**
   * Hands the queued frames to Netty as copies, skipping the first {@code skip} bytes (already
   * written to the socket), and gives the queue back.
   */
  private void handOver(int skip) {
    for (int i = 0; i < queued; i++) {
      long d = queue + (long) i * NativeUdp.DESC_BYTES;
      long address = PlatformDependent.getLong(d);
      int len = PlatformDependent.getInt(d + 8);
      if (skip >= len) {
        skip -= len;
        continue;
      }
      channel.write(copy(address + skip, len - skip), channel.voidPromise());
      skip = 0;
    }
    release();
  }

  private void release() {
    FlushBatch.current().arena().giveQueue(queue);
    queue = 0;
    queued = 0;
  }

  /** A pooled copy of arena memory (the native path runs only where Unsafe is available). */
  private static ByteBuf copy(long address, int len) {
    ByteBuf copy = Transports.ALLOCATOR.directBuffer(len);
    PlatformDependent.copyMemory(address, copy.memoryAddress() + copy.writerIndex(), len);
    return copy.writerIndex(copy.writerIndex() + len);
  }

  @Override
  public boolean stream() {
    return true;
  }

  @Override
  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  @Override
  public boolean writable() {
    return channel.isWritable();
  }

  public Channel channel() {
    return channel;
  }
}
