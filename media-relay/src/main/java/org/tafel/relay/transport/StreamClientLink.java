package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import org.tafel.relay.allocation.Allocation;

/** A TCP or TLS connection to one client; it carries at most one allocation (RFC 8656 §3.1). */
public final class StreamClientLink implements ClientLink {
  private final Channel channel;
  private final FlushBatch.Target flushTarget;
  private Allocation allocation;

  public StreamClientLink(Channel channel) {
    this.channel = channel;
    this.flushTarget = new FlushBatch.Target(channel);
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
    channel.write(msg, channel.voidPromise());
  }

  @Override
  public void flush() {
    channel.flush();
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
