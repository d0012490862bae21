package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** A relay socket that is a Netty datagram channel; flushed once per loop iteration. */
public final class ChannelRelaySocket implements RelaySocket {
  private final Channel channel;
  private final FlushBatch.Target flushTarget;

  public ChannelRelaySocket(Channel channel) {
    this.channel = channel;
    this.flushTarget = new FlushBatch.Target(channel);
  }

  @Override
  public boolean writable() {
    return channel.isWritable();
  }

  @Override
  public void send(ByteBuf payload, InetSocketAddress peer) {
    channel.write(new DatagramPacket(payload, peer), channel.voidPromise());
    FlushBatch.mark(flushTarget);
  }

  @Override
  public void close() {
    channel.close();
  }
}
