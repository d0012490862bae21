package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import org.tafel.relay.allocation.Allocation;

/** A client 5-tuple on a {@link NativeUdpListener}. */
final class NativeUdpClientLink implements ClientLink {
  private final NativeUdpListener listener;
  private final InetSocketAddress remote;
  private final int ip;
  private final int port;
  private final long key;

  NativeUdpClientLink(NativeUdpListener listener, int ip, int port, long key) {
    this.listener = listener;
    this.remote = NativeUdp.address(ip, port);
    this.ip = ip;
    this.port = port;
    this.key = key;
  }

  @Override
  public InetSocketAddress remote() {
    return remote;
  }

  @Override
  public InetSocketAddress local() {
    return listener.localAddress();
  }

  @Override
  public void write(ByteBuf msg) {
    int len = msg.readableBytes();
    long address = FlushBatch.current().arena().copyIn(msg, msg.readerIndex(), len);
    msg.release();
    listener.enqueue(address, len, ip, port);
  }

  @Override
  public void writeArena(ByteBuf view) {
    listener.enqueue(view.memoryAddress() + view.readerIndex(), view.readableBytes(), ip, port);
  }

  @Override
  public void flush() {
    listener.flush();
  }

  @Override
  public FlushBatch.Target flushTarget() {
    return listener;
  }

  @Override
  public boolean stream() {
    return false;
  }

  @Override
  public EventLoop eventLoop() {
    return listener.loop;
  }

  @Override
  public boolean writable() {
    return listener.isOpen();
  }

  @Override
  public void attach(Allocation allocation) {
    listener.allocations.put(key, allocation);
  }

  @Override
  public void detach(Allocation allocation) {
    if (listener.allocations.get(key) == allocation) {
      listener.allocations.remove(key);
    }
  }
}
