package org.tafel.relay.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in a TCP or TLS client's pipeline: before the bytes of each read are handled, the loop
 * sends the datagrams that have waited past the hold bound ({@link FlushBatch#flushIfHeld}), as it
 * does before each native UDP read. Without it, a loop reading streams for long (up to 16 reads per
 * connection per readiness, each decrypted and framed) would hold a UDP datagram it queued earlier
 * in the iteration until all of them were handled.
 */
@Sharable
final class HeldFlushOnStreamRead extends ChannelInboundHandlerAdapter {
  static final HeldFlushOnStreamRead INSTANCE = new HeldFlushOnStreamRead();

  private HeldFlushOnStreamRead() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    FlushBatch.current().flushIfHeld();
    ctx.fireChannelRead(msg);
  }
}
