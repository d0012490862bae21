package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.HashMap;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.dispatch.StunDispatcher;

/**
 * One UDP listener channel: looks up the allocation of the sender's 5-tuple (owned by this
 * channel's event loop) and dispatches. Writes are flushed by {@link FlushBatch}.
 */
public final class UdpListenerHandler extends ChannelInboundHandlerAdapter {
  private final StunDispatcher dispatcher;
  private final HashMap<InetSocketAddress, Allocation> allocations = new HashMap<>();
  private FlushBatch.Target flushTarget;

  public UdpListenerHandler(StunDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    flushTarget = new FlushBatch.Target(ctx.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    DatagramPacket packet = (DatagramPacket) msg;
    InetSocketAddress sender = packet.sender();
    ByteBuf content = packet.content();
    Allocation a = allocations.get(sender);
    ClientLink link =
        a != null ? a.link() : new UdpClientLink(ctx.channel(), sender, allocations, flushTarget);
    try {
      dispatcher.onFrame(link, a, content);
    } catch (RuntimeException e) {
      // A bug must not take the listener down; the frame was released by the dispatcher or is
      // garbage now. Counted as malformed.
      dispatcher.onInternalError(e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // ICMP errors for one client must not close the shared listener.
  }

  /** Live allocations on this listener (for tests and metrics). */
  public int allocationCount() {
    return allocations.size();
  }
}
