package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.dispatch.AllocationLifecycle;
import org.tafel.relay.dispatch.StunDispatcher;

/** One TCP or TLS client connection. Its allocation ends with the connection (RFC 8656 §3.1). */
public final class StreamHandler extends ChannelInboundHandlerAdapter {
  private final StunDispatcher dispatcher;
  private final AllocationLifecycle lifecycle;
  private StreamClientLink link;

  public StreamHandler(StunDispatcher dispatcher, AllocationLifecycle lifecycle) {
    this.dispatcher = dispatcher;
    this.lifecycle = lifecycle;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    link = new StreamClientLink(ctx.channel());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      dispatcher.onFrame(link, link.allocation(), frame);
    } catch (RuntimeException e) {
      dispatcher.onInternalError(e);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && (link == null || link.allocation() == null)) {
      ctx.close(); // a connection that never allocates does not hold a socket forever
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Allocation a = link == null ? null : link.allocation();
    if (a != null) {
      lifecycle.free(a);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
