package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import org.tafel.protocol.stun.TurnFraming;
import org.tafel.relay.RelayMetrics.DropReason;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.dispatch.AllocationLifecycle;
import org.tafel.relay.dispatch.StunDispatcher;

/**
 * One TCP or TLS client connection: frames STUN messages and padded ChannelData on the stream (RFC
 * 8656 §12.5) and hands each frame to the dispatcher as soon as it is whole, without passing it
 * down the pipeline. Bytes that are neither STUN nor ChannelData cannot be resynchronised: the
 * connection is closed. Its allocation ends with the connection (RFC 8656 §3.1).
 */
public final class StreamHandler extends ByteToMessageDecoder {
  private final StunDispatcher dispatcher;
  private final AllocationLifecycle lifecycle;
  private StreamClientLink link;

  public StreamHandler(StunDispatcher dispatcher, AllocationLifecycle lifecycle) {
    this.dispatcher = dispatcher;
    this.lifecycle = lifecycle;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    link = new StreamClientLink(ctx.channel());
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 4) {
      int len = TurnFraming.frameLength(in, in.readerIndex(), true);
      if (len < 0) {
        dispatcher.metrics().drop(DropReason.MALFORMED);
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
      if (in.readableBytes() < len) {
        return;
      }
      ByteBuf frame = in.readRetainedSlice(len);
      try {
        dispatcher.onFrame(link, link.allocation(), frame);
      } catch (RuntimeException e) {
        dispatcher.onInternalError(e);
      }
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && (link == null || link.allocation() == null)) {
      ctx.close(); // a connection that never allocates does not hold a socket forever
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx); // frames still whole in the buffer are handled first
    } finally {
      Allocation a = link == null ? null : link.allocation();
      if (a != null) {
        lifecycle.free(a);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
