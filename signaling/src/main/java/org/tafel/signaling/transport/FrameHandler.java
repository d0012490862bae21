package org.tafel.signaling.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.FrameException;
import org.tafel.signaling.session.Session;
import org.tafel.signaling.session.SessionContext;

/** Decodes each text message and hands it to the connection's session. */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(FrameHandler.class);

  private final SessionContext context;
  private Session session;
  private ScheduledFuture<?> loginDeadline;

  FrameHandler(SessionContext context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    InetAddress address =
        ctx.channel().remoteAddress() instanceof InetSocketAddress a
            ? a.getAddress()
            : InetAddress.getLoopbackAddress();
    session = new Session(ctx.channel(), context, address);
  }

  /**
   * A connection must register or log in within its login deadline ({@link
   * org.tafel.signaling.SignalingConfig#loginDeadline}) of opening, so unauthenticated sockets
   * cannot sit on the server for the whole idle timeout.
   */
  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    loginDeadline =
        ctx.executor()
            .schedule(
                () -> {
                  if (!session.loggedIn()) {
                    session.closeWith(CloseCodes.LOGIN_TIMEOUT, "login-timeout");
                  }
                },
                context.config().loginDeadline().toMillis(),
                TimeUnit.MILLISECONDS);
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      ClientFrame decoded;
      try {
        decoded = context.codec().decodeClient(text.text());
      } catch (FrameException e) {
        session.refuse(e);
        return;
      }
      session.handle(decoded);
    } else if (frame instanceof BinaryWebSocketFrame) {
      session.closeWith(CloseCodes.UNSUPPORTED_DATA, "text frames only");
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      session.closeWith(CloseCodes.IDLE, "idle");
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    session.writabilityChanged();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (loginDeadline != null) {
      loginDeadline.cancel(false);
    }
    session.closed();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException
        || (cause instanceof CorruptedWebSocketFrameException c
            && c.closeStatus() != null
            && c.closeStatus().code() == CloseCodes.MESSAGE_TOO_BIG)) {
      session.closeWith(CloseCodes.MESSAGE_TOO_BIG, "message too big");
      return;
    }
    LOG.debug("connection closed after {}", cause.toString());
    session.closed();
    ctx.close();
  }
}
