package org.tafel.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The admin HTTP port: {@code /healthz}, {@code /readyz} and {@code /metrics} (Prometheus text
 * format 0.0.4). GET and HEAD only. One event loop; it serves operators and scrapers, not users.
 */
public final class AdminServer implements AutoCloseable {
  public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final InetSocketAddress address;
  private final HealthCheck health;
  private final Consumer<StringBuilder> metrics;
  private EventLoopGroup group;
  private Channel channel;

  /**
   * @param address where to listen (port 0 picks a free one)
   * @param health the services' state
   * @param metrics writes the Prometheus text, e.g. {@code registry::writeText}
   */
  public AdminServer(
      InetSocketAddress address, HealthCheck health, Consumer<StringBuilder> metrics) {
    this.address = Objects.requireNonNull(address, "address");
    this.health = Objects.requireNonNull(health, "health");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Binds the port; an {@link IOException} says why it could not (e.g. the port is in use). */
  public void start() throws IOException {
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("tafel-admin", true), NioIoHandler.newFactory());
    try {
      channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new IdleStateHandler(0, 0, 30, TimeUnit.SECONDS))
                          .addLast(new HttpServerCodec(4096, 8192, 8192))
                          .addLast(new HttpObjectAggregator(8192))
                          .addLast(new Handler());
                    }
                  })
              .bind(address)
              .sync()
              .channel();
    } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group = null;
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while binding " + address);
      }
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      FullHttpResponse response = respond(request);
      boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
      HttpUtil.setKeepAlive(response, keepAlive);
      var future = ctx.writeAndFlush(response);
      if (!keepAlive) {
        future.addListener(ChannelFutureListener.CLOSE);
      }
    }

    private FullHttpResponse respond(FullHttpRequest request) {
      if (!request.decoderResult().isSuccess()) {
        return text(HttpResponseStatus.BAD_REQUEST, "bad request\n", TEXT, false);
      }
      boolean head = request.method().equals(HttpMethod.HEAD);
      if (!head && !request.method().equals(HttpMethod.GET)) {
        FullHttpResponse r =
            text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n", TEXT, false);
        r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        return r;
      }
      String path = new QueryStringDecoder(request.uri()).path();
      switch (path) {
        case "/healthz", "/readyz" -> {
          List<String> down = health.notRunning();
          return down.isEmpty()
              ? text(HttpResponseStatus.OK, "ok\n", TEXT, head)
              : text(
                  HttpResponseStatus.SERVICE_UNAVAILABLE,
                  "not running: " + String.join(", ", down) + "\n",
                  TEXT,
                  head);
        }
        case "/metrics" -> {
          StringBuilder out = new StringBuilder(4096);
          metrics.accept(out);
          return text(HttpResponseStatus.OK, out.toString(), METRICS_CONTENT_TYPE, head);
        }
        default -> {
          return text(HttpResponseStatus.NOT_FOUND, "not found\n", TEXT, head);
        }
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent) {
        ctx.close();
      } else {
        super.userEventTriggered(ctx, evt);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static FullHttpResponse text(
      HttpResponseStatus status, String body, String contentType, boolean head) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return r;
  }
}
