package org.tafel.blob.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * One request and its one response. Replies may come from any thread; they are written on the
 * connection's event loop. A reply sent before the request body was read closes the connection (the
 * unread body is never consumed).
 */
public final class Exchange {
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final BlobHttpHandler connection;
  private final boolean tls;
  private boolean replied;

  Exchange(
      ChannelHandlerContext ctx, HttpRequest request, BlobHttpHandler connection, boolean tls) {
    this.ctx = ctx;
    this.request = request;
    this.connection = connection;
    this.tls = tls;
  }

  public HttpRequest request() {
    return request;
  }

  /** Lets the connection read again once {@link BodySink} has caught up. */
  public Runnable resumeReading() {
    return () -> ctx.executor().execute(() -> connection.sinkDrained(this));
  }

  /** Applies backpressure: stop reading when {@code queued} exceeds the sink's high mark. */
  public void queued(long queued) {
    if (queued > BodySink.HIGH_MARK) {
      connection.pauseForSink(this);
    }
  }

  /** Answers {@code Expect: 100-continue} once the request has been accepted. */
  public void continueIfExpected() {
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
  }

  public static FullHttpResponse response(HttpResponseStatus status) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
  }

  /** A plain-text response: {@code message} and a newline. */
  public static FullHttpResponse text(HttpResponseStatus status, String message) {
    ByteBuf body = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return r;
  }

  public static FullHttpResponse json(HttpResponseStatus status, String json) {
    ByteBuf body = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    return r;
  }

  /** Sends {@code response}; keeps the connection when the request allows and its body was read. */
  public void reply(FullHttpResponse response) {
    send(response, false);
  }

  /** Sends {@code response} and closes the connection. */
  public void replyAndClose(FullHttpResponse response) {
    send(response, true);
  }

  private void send(FullHttpResponse response, boolean close) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> send(response, close));
      return;
    }
    if (replied || !ctx.channel().isActive()) {
      response.release();
      return;
    }
    replied = true;
    Cors.decorate(response.headers());
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (request.method().equals(HttpMethod.HEAD)) {
      // HEAD: headers as for GET, no body
      response.content().clear();
    }
    boolean keep = !close && connection.mayKeepAlive(this);
    if (!keep) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var f = ctx.writeAndFlush(response);
    if (!keep) {
      connection.closing();
      f.addListener(ChannelFutureListener.CLOSE);
    } else {
      connection.replied(this);
    }
  }

  /**
   * Sends {@code head} (status, Content-Length and other headers set) followed by {@code length}
   * bytes of {@code file} from {@code offset} (zero-copy without TLS), and closes {@code file}
   * afterwards. For HEAD only the headers go out.
   */
  public void stream(HttpResponse head, FileChannel file, long offset, long length) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> stream(head, file, offset, length));
      return;
    }
    if (replied || !ctx.channel().isActive()) {
      closeQuietly(file);
      return;
    }
    replied = true;
    Cors.decorate(head.headers());
    HttpUtil.setContentLength(head, length);
    boolean keep = connection.mayKeepAlive(this);
    if (!keep) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ctx.write(head);
    var f = (io.netty.channel.ChannelFuture) null;
    if (request.method().equals(HttpMethod.HEAD) || length == 0) {
      closeQuietly(file);
      f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    } else if (tls) {
      try {
        f =
            ctx.writeAndFlush(
                new HttpChunkedInput(new ChunkedNioFile(file, offset, length, 65536)));
      } catch (IOException e) {
        closeQuietly(file);
        ctx.close();
        return;
      }
    } else {
      ctx.write(new DefaultFileRegion(file, offset, length));
      f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    if (!keep) {
      connection.closing();
      f.addListener(ChannelFutureListener.CLOSE);
    } else {
      connection.replied(this);
    }
  }

  static void closeQuietly(FileChannel file) {
    try {
      file.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  boolean replied() {
    return replied;
  }

  /** The connection went away before a reply; nothing will be sent. */
  void abandon() {
    replied = true;
  }

  /** A response for an I/O failure: 500, connection closed. */
  public void fail(String what) {
    replyAndClose(text(HttpResponseStatus.INTERNAL_SERVER_ERROR, what));
  }

  /** The {@code 503} when the node's concurrent-upload cap is reached. */
  public void busy() {
    FullHttpResponse r =
        text(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many uploads in progress; retry later");
    r.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
    replyAndClose(r);
  }
}
