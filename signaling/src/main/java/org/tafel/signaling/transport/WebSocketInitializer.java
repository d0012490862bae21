package org.tafel.signaling.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.tafel.signaling.session.SessionContext;

/** The pipeline of one signaling connection. */
public final class WebSocketInitializer extends ChannelInitializer<SocketChannel> {
  public static final String PATH = "/v1/ws";
  private static final int MAX_HTTP_REQUEST = 16 * 1024;

  private final SessionContext context;
  private final java.util.function.Supplier<SslContext> tls;
  private final ChannelGroup channels;

  /** {@code tls} gives the current TLS context (it may change on reload), or null for plain ws. */
  public WebSocketInitializer(
      SessionContext context, java.util.function.Supplier<SslContext> tls, ChannelGroup channels) {
    this.context = context;
    this.tls = tls;
    this.channels = channels;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    channels.add(ch);
    int maxFrame = context.config().limits().maxFrameBytes();
    WebSocketServerProtocolConfig ws =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(PATH)
            .checkStartsWith(false)
            .handleCloseFrames(true)
            .dropPongFrames(true)
            .forceCloseTimeoutMillis(2_000)
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(maxFrame)
                    .allowExtensions(false)
                    .closeOnProtocolViolation(true)
                    .build())
            .build();
    if (tls != null) {
      ch.pipeline().addLast(tls.get().newHandler(ch.alloc()));
    }
    ch.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(MAX_HTTP_REQUEST))
        .addLast(new WebSocketServerProtocolHandler(ws))
        .addLast(new WebSocketFrameAggregator(maxFrame))
        .addLast(
            new IdleStateHandler(
                context.config().limits().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast(new FrameHandler(context))
        .addLast(new HttpFallbackHandler());
  }
}
