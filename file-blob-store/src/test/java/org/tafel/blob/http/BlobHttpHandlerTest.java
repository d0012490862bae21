package org.tafel.blob.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection's read switch around a request body that the disk writer fell behind on. */
class BlobHttpHandlerTest {
  /**
   * An upload whose body left the disk writer above its high mark, so reading paused, and whose
   * body then ended: once the reply is out, the keep-alive connection reads the next request. A
   * sink that is finishing never reports "drained", so a pause that outlived the body stopped the
   * connection for good: the next request on it hung (seen as a 30 s timeout in
   * BlobApiTest.chunkedUploadWithoutContentLengthIsStored on a loaded machine).
   */
  @Test
  void aPauseForTheDiskEndsWithTheBodySoTheNextRequestIsRead() {
    List<Exchange> routed = new ArrayList<>();
    Router router =
        ex -> {
          routed.add(ex);
          return new BodyReceiver() {
            @Override
            public void content(ByteBuf chunk) {
              chunk.release();
              ex.queued(BodySink.HIGH_MARK + 1L); // the disk is behind
            }

            @Override
            public void end() {} // the reply comes later, when the disk has caught up

            @Override
            public void abort() {}
          };
        };
    EmbeddedChannel ch = new EmbeddedChannel(new BlobHttpHandler(router, false));
    HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/blobs");
    HttpUtil.setTransferEncodingChunked(post, true);
    ch.writeInbound(post);
    ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
    assertFalse(ch.config().isAutoRead(), "reading pauses while the disk is behind");
    ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[] {4})));
    assertFalse(ch.config().isAutoRead(), "nothing more is read before the reply");

    routed.get(0).reply(Exchange.response(HttpResponseStatus.CREATED));
    FullHttpResponse reply = ch.readOutbound();
    assertEquals(201, reply.status().code());
    reply.release();
    assertTrue(ch.config().isAutoRead(), "after the reply the connection reads again");

    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/blobs/next"));
    assertEquals(2, routed.size(), "the next request on the connection is routed");
    ch.finishAndReleaseAll();
  }
}
