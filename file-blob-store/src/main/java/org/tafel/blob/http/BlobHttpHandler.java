package org.tafel.blob.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.LogSafe;

/**
 * One connection's request cycle: one request at a time; bodies go to the route's {@link
 * BodyReceiver} chunk by chunk; reading stops while a body's writes are behind or while a reply is
 * being worked out (pipelined requests wait in a short queue). Header and line limits answer 431
 * and 414; an idle connection (no read or write for the idle timeout) is closed.
 */
public final class BlobHttpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(BlobHttpHandler.class);

  private final Router router;
  private final boolean tls;
  private ChannelHandlerContext ctx;
  private Exchange current;
  private BodyReceiver receiver;
  private boolean bodyDone;
  private boolean awaitingReply;
  private boolean pausedBySink;
  private boolean closing;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();

  public BlobHttpHandler(Router router, boolean tls) {
    this.router = router;
    this.tls = tls;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (awaitingReply || !waiting.isEmpty()) {
      waiting.add(msg);
      return;
    }
    process(msg);
  }

  private void process(Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        startRequest(request);
      }
      if (msg instanceof HttpContent content) {
        if (receiver != null && !closing) {
          receiver.content(content.content().retain());
        }
        if (content instanceof LastHttpContent) {
          endBody();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startRequest(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      current = new Exchange(ctx, request, this, tls);
      bodyDone = false;
      HttpResponseStatus status =
          cause instanceof TooLongHttpHeaderException
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : cause instanceof TooLongHttpLineException
                  ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                  : cause instanceof TooLongFrameException
                      ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                      : HttpResponseStatus.BAD_REQUEST;
      current.replyAndClose(Exchange.text(status, "malformed or oversized request head"));
      return;
    }
    current = new Exchange(ctx, request, this, tls);
    bodyDone = false;
    receiver = null;
    BodyReceiver r;
    try {
      r = router.route(current);
    } catch (RuntimeException e) {
      log.warn("blob http: request failed: {}", LogSafe.of(e));
      current.fail("internal error");
      return;
    }
    if (closing) {
      if (r != null) {
        r.abort();
      }
    } else {
      receiver = r;
    }
  }

  private void endBody() {
    bodyDone = true;
    // The sink's pause was for this body, which is over: its end ends the pause (a sink that is
    // finishing never reports "drained", so a pause left set would stop the connection for good).
    // Until the reply, awaitingReply keeps the connection from reading on.
    pausedBySink = false;
    BodyReceiver r = receiver;
    receiver = null;
    if (r != null && !closing) {
      r.end();
    }
    if (current != null && !current.replied()) {
      awaitingReply = true;
      updateAutoRead();
    } else {
      finishExchange();
    }
  }

  /** True when the response to {@code e} may leave the connection open. */
  boolean mayKeepAlive(Exchange e) {
    return e == current
        && !closing
        && HttpUtil.isKeepAlive(e.request())
        && (bodyDone || !declaresBody(e.request()));
  }

  private static boolean declaresBody(HttpRequest r) {
    return HttpUtil.isTransferEncodingChunked(r) || HttpUtil.getContentLength(r, 0L) > 0;
  }

  void closing() {
    closing = true;
    if (receiver != null) {
      BodyReceiver r = receiver;
      receiver = null;
      r.abort();
    }
    drop();
  }

  /** A keep-alive reply went out for {@code e}. */
  void replied(Exchange e) {
    if (e == current && bodyDone) {
      finishExchange();
    }
  }

  private void finishExchange() {
    current = null;
    awaitingReply = false;
    updateAutoRead();
    while (!waiting.isEmpty() && !awaitingReply && !closing) {
      process(waiting.poll());
    }
  }

  void pauseForSink(Exchange e) {
    if (e == current && !pausedBySink) {
      pausedBySink = true;
      updateAutoRead();
    }
  }

  void sinkDrained(Exchange e) {
    if (pausedBySink) {
      pausedBySink = false;
      updateAutoRead();
    }
  }

  private void updateAutoRead() {
    boolean read = !awaitingReply && !pausedBySink && !closing;
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  private void drop() {
    Object m;
    while ((m = waiting.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (receiver != null) {
      BodyReceiver r = receiver;
      receiver = null;
      r.abort();
    }
    if (current != null) {
      current.abandon();
    }
    drop();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (!awaitingReply && !pausedBySink && !sendingProgressed(ctx)) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private Object lastPending;
  private long lastProgress = -1;

  /**
   * True when a write in progress (a long {@code sendfile} to a slow reader counts as one write)
   * moved since the previous idle event: that is progress, not idleness. A reader that takes
   * nothing for a whole idle period is closed at the next event.
   */
  private boolean sendingProgressed(ChannelHandlerContext ctx) {
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    Object current = out == null ? null : out.current();
    if (current == null) {
      lastPending = null;
      return false;
    }
    long progress = out.currentProgress();
    boolean moved = current != lastPending || progress != lastProgress;
    lastPending = current;
    lastProgress = progress;
    return moved;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("blob http: connection error: {}", cause.toString());
    ctx.close();
  }
}
