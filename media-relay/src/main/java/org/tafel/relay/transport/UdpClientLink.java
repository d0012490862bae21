package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Map;
import org.tafel.relay.allocation.Allocation;

/** A client 5-tuple on one UDP listener channel. */
public final class UdpClientLink implements ClientLink {
  private final Channel listener;
  private final InetSocketAddress remote;
  private final Map<InetSocketAddress, Allocation> allocations;
  private final FlushBatch.Target flushTarget;

  /**
   * @param allocations the listener's 5-tuple table, owned by its event loop
   * @param flushTarget the listener's flush target, shared by all its links
   */
  public UdpClientLink(
      Channel listener,
      InetSocketAddress remote,
      Map<InetSocketAddress, Allocation> allocations,
      FlushBatch.Target flushTarget) {
    this.listener = listener;
    this.remote = remote;
    this.allocations = allocations;
    this.flushTarget = flushTarget;
  }

  @Override
  public FlushBatch.Target flushTarget() {
    return flushTarget;
  }

  @Override
  public void attach(Allocation allocation) {
    allocations.put(remote, allocation);
  }

  @Override
  public void detach(Allocation allocation) {
    allocations.remove(remote, allocation);
  }

  @Override
  public InetSocketAddress remote() {
    return remote;
  }

  @Override
  public InetSocketAddress local() {
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void write(ByteBuf msg) {
    listener.write(new DatagramPacket(msg, remote), listener.voidPromise());
  }

  @Override
  public void flush() {
    listener.flush();
  }

  @Override
  public boolean stream() {
    return false;
  }

  @Override
  public EventLoop eventLoop() {
    return listener.eventLoop();
  }

  @Override
  public boolean writable() {
    return listener.isWritable();
  }
}
