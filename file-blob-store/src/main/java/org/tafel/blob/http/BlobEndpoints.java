package org.tafel.blob.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.BlobMetrics.DownloadOutcome;
import org.tafel.blob.BlobMetrics.UploadOutcome;
import org.tafel.blob.LogSafe;
import org.tafel.blob.expiry.Lifetime;
import org.tafel.blob.storage.BlobCatalog;
import org.tafel.blob.storage.BlobIds;
import org.tafel.blob.storage.BlobStorage;
import org.tafel.blob.tokens.UploadAuthorizer;
import org.tafel.protocol.token.TokenException;
import org.tafel.protocol.token.UploadToken;

/**
 * {@code /v1/blobs}: {@code POST} (upload), {@code GET}/{@code HEAD} (download), {@code DELETE},
 * and {@code POST /v1/blobs/{id}/done}. docs/blob-store.md lists every status.
 */
public final class BlobEndpoints {
  private static final Logger log = LoggerFactory.getLogger(BlobEndpoints.class);
  public static final String PREFIX = "/v1/blobs";

  private final Services s;

  public BlobEndpoints(Services services) {
    this.s = services;
  }

  /** Routes a request whose path starts with {@code /v1/blobs}. */
  public BodyReceiver route(Exchange ex, String path) {
    HttpMethod m = ex.request().method();
    if (path.equals(PREFIX)) {
      if (m.equals(HttpMethod.POST)) {
        return upload(ex);
      }
      return notAllowed(ex, "POST, OPTIONS");
    }
    if (!path.startsWith(PREFIX + "/")) {
      ex.reply(notFound());
      return null;
    }
    String rest = path.substring(PREFIX.length() + 1);
    if (rest.endsWith("/done")) {
      String id = rest.substring(0, rest.length() - "/done".length());
      if (!BlobIds.isValid(id)) {
        ex.reply(notFound());
        return null;
      }
      if (!m.equals(HttpMethod.POST)) {
        return notAllowed(ex, "POST, OPTIONS");
      }
      done(ex, id);
      return null;
    }
    if (!BlobIds.isValid(rest)) {
      ex.reply(notFound());
      return null;
    }
    if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) {
      download(ex, rest);
    } else if (m.equals(HttpMethod.DELETE)) {
      delete(ex, rest);
    } else {
      return notAllowed(ex, "GET, HEAD, DELETE, OPTIONS");
    }
    return null;
  }

  /** The one 404 for unknown, expired, used-up and malformed IDs alike. */
  public static FullHttpResponse notFound() {
    return Exchange.text(HttpResponseStatus.NOT_FOUND, "not found");
  }

  static BodyReceiver notAllowed(Exchange ex, String allow) {
    FullHttpResponse r = Exchange.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
    r.headers().set(HttpHeaderNames.ALLOW, allow);
    ex.reply(r);
    return null;
  }

  /** Verifies the bearer upload token; on failure replies 401 and returns null. */
  public static UploadToken authorize(Services s, Exchange ex, boolean tus) {
    try {
      return s.authorizer().authorize(ex.request());
    } catch (TokenException e) {
      s.metrics().upload(tus, UploadOutcome.UNAUTHORIZED);
      String why =
          UploadAuthorizer.bearer(ex.request()) == null
              ? "missing upload token (expected: Authorization: Bearer ut1...)"
              : "upload token refused: " + e.reason().name().toLowerCase(java.util.Locale.ROOT);
      FullHttpResponse r = Exchange.text(HttpResponseStatus.UNAUTHORIZED, why);
      r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
      ex.replyAndClose(r);
      return null;
    }
  }

  /** Answers 413 for a body larger than {@code limit}. */
  public static void tooLarge(Exchange ex, long limit) {
    ex.replyAndClose(
        Exchange.text(
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "body larger than this upload may be (at most " + limit + " bytes)"));
  }

  /** Answers 429 when {@code owner} started too many uploads this minute; true when allowed. */
  public static boolean rateAllows(Services s, Exchange ex, String owner, boolean tus) {
    if (s.quotas().tryStartUpload(owner)) {
      return true;
    }
    s.metrics().upload(tus, UploadOutcome.RATE_LIMITED);
    FullHttpResponse r =
        Exchange.text(HttpResponseStatus.TOO_MANY_REQUESTS, "too many uploads this minute");
    r.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(s.quotas().secondsToNextWindow()));
    ex.replyAndClose(r);
    return false;
  }

  /** Answers 507 when {@code owner} may not hold {@code bytes} more; true when reserved. */
  public static boolean reserve(Services s, Exchange ex, String owner, long bytes, boolean tus) {
    if (s.quotas().tryReserve(owner, bytes)) {
      return true;
    }
    s.metrics().upload(tus, UploadOutcome.QUOTA);
    ex.replyAndClose(
        Exchange.text(
            HttpResponseStatus.INSUFFICIENT_STORAGE,
            "storage quota of this uploader exhausted (at most "
                + s.limits().quotaBytes()
                + " bytes held)"));
    return false;
  }

  private BodyReceiver upload(Exchange ex) {
    HttpRequest req = ex.request();
    UploadToken token = authorize(s, ex, false);
    if (token == null) {
      return null;
    }
    Lifetime lifetime;
    try {
      lifetime =
          Lifetime.parse(
              req.headers().get(Lifetime.EXPIRES_IN),
              req.headers().get(Lifetime.DOWNLOADS),
              s.limits().defaultExpiry(),
              s.limits().maxExpiry(),
              s.limits().maxDownloads());
    } catch (Lifetime.InvalidException e) {
      s.metrics().upload(false, UploadOutcome.BAD_REQUEST);
      ex.replyAndClose(Exchange.text(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
      return null;
    }
    long limit = Math.min(s.limits().maxBytes(), token.cap());
    boolean chunked = HttpUtil.isTransferEncodingChunked(req);
    long declared = chunked ? -1 : HttpUtil.getContentLength(req, 0L);
    if (declared > limit) {
      s.metrics().upload(false, UploadOutcome.TOO_LARGE);
      tooLarge(ex, limit);
      return null;
    }
    String owner = token.sub();
    if (!rateAllows(s, ex, owner, false)) {
      return null;
    }
    long reserved = declared >= 0 ? declared : limit;
    if (!reserve(s, ex, owner, reserved, false)) {
      return null;
    }
    if (!s.uploadSlots().tryAcquire()) {
      s.quotas().release(owner, reserved);
      s.metrics().upload(false, UploadOutcome.BUSY);
      ex.busy();
      return null;
    }
    BlobStorage.PendingBlob pending;
    try {
      pending = s.storage().begin();
    } catch (IOException e) {
      s.uploadSlots().release();
      s.quotas().release(owner, reserved);
      s.metrics().upload(false, UploadOutcome.FAILED);
      log.warn("blob store: cannot create a temporary file: {}", LogSafe.of(e));
      ex.fail("storage unavailable");
      return null;
    }
    ex.continueIfExpected();
    return new PostReceiver(ex, pending, limit, owner, reserved, lifetime);
  }

  /** Streams one POST body into a pending blob and commits it. */
  private final class PostReceiver implements BodyReceiver {
    private final Exchange ex;
    private final BlobStorage.PendingBlob pending;
    private final long limit;
    private final String owner;
    private final long reserved;
    private final Lifetime lifetime;
    private final BodySink sink;
    private long received;
    private boolean over;

    PostReceiver(
        Exchange ex,
        BlobStorage.PendingBlob pending,
        long limit,
        String owner,
        long reserved,
        Lifetime lifetime) {
      this.ex = ex;
      this.pending = pending;
      this.limit = limit;
      this.owner = owner;
      this.reserved = reserved;
      this.lifetime = lifetime;
      this.sink = new BodySink(pending.channel(), s.io(), null, ex.resumeReading());
    }

    @Override
    public void content(ByteBuf chunk) {
      if (over) {
        chunk.release();
        return;
      }
      received += chunk.readableBytes();
      if (received > limit) {
        chunk.release();
        s.metrics().upload(false, UploadOutcome.TOO_LARGE);
        discard();
        tooLarge(ex, limit);
        return;
      }
      ex.queued(sink.offer(chunk));
    }

    @Override
    public void end() {
      if (over) {
        return;
      }
      over = true;
      sink.finish()
          .whenCompleteAsync(
              (size, failure) -> {
                try {
                  if (failure != null) {
                    throw failure;
                  }
                  Instant now = s.clock().instant();
                  BlobCatalog.Created c =
                      s.catalog()
                          .commit(
                              pending, size, owner, lifetime.expiresAt(now), lifetime.downloads());
                  s.quotas().release(owner, reserved - size);
                  s.metrics().upload(false, UploadOutcome.CREATED);
                  s.metrics().bytesUploaded.add(size);
                  FullHttpResponse r = Exchange.json(HttpResponseStatus.CREATED, json(c));
                  r.headers().set(HttpHeaderNames.LOCATION, PREFIX + "/" + c.meta().id());
                  ex.reply(r);
                } catch (Throwable t) {
                  pending.close();
                  s.quotas().release(owner, reserved);
                  s.metrics().upload(false, UploadOutcome.FAILED);
                  log.warn("blob store: upload could not be stored: {}", LogSafe.of(t));
                  ex.fail("upload could not be stored");
                } finally {
                  s.uploadSlots().release();
                }
              },
              s.io());
    }

    @Override
    public void abort() {
      if (over) {
        return;
      }
      s.metrics().upload(false, UploadOutcome.ABORTED);
      discard();
    }

    private void discard() {
      over = true;
      sink.abort()
          .whenCompleteAsync(
              (n, e) -> {
                pending.close();
                s.quotas().release(owner, reserved);
                s.uploadSlots().release();
              },
              s.io());
    }
  }

  /** The 201 body: {@code {"id","size","expiresAt","deleteToken"}}. */
  public static String json(BlobCatalog.Created c) {
    return "{\"id\":\""
        + c.meta().id()
        + "\",\"size\":"
        + c.meta().size()
        + ",\"expiresAt\":\""
        + c.meta().expiresAt()
        + "\",\"deleteToken\":\""
        + c.deleteToken()
        + "\"}";
  }

  private void download(Exchange ex, String id) {
    Optional<BlobCatalog.Opened> opened;
    try {
      opened = s.catalog().open(id);
    } catch (IOException e) {
      log.warn("blob store: a blob could not be opened: {}", LogSafe.of(e));
      ex.fail("storage unavailable");
      return;
    }
    if (opened.isEmpty()) {
      s.metrics().download(DownloadOutcome.NOT_FOUND);
      ex.reply(notFound());
      return;
    }
    BlobStorage.BlobContent content = opened.get().content();
    long size = content.size();
    String etag = "\"" + id + "\"";
    HttpRequest req = ex.request();
    String inm = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    if (inm != null && (inm.trim().equals("*") || inm.contains(etag))) {
      content.close();
      s.metrics().download(DownloadOutcome.NOT_MODIFIED);
      FullHttpResponse r = Exchange.response(HttpResponseStatus.NOT_MODIFIED);
      r.headers().set(HttpHeaderNames.ETAG, etag);
      ex.reply(r);
      return;
    }
    String range = req.headers().get(HttpHeaderNames.RANGE);
    String ifRange = req.headers().get(HttpHeaderNames.IF_RANGE);
    if (ifRange != null && !ifRange.trim().equals(etag)) {
      range = null;
    }
    ByteRange.Result r = ByteRange.parse(range, size);
    if (r instanceof ByteRange.Unsatisfiable) {
      content.close();
      s.metrics().download(DownloadOutcome.UNSATISFIABLE);
      FullHttpResponse resp =
          Exchange.text(
              HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range not satisfiable");
      resp.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
      ex.reply(resp);
      return;
    }
    HttpResponse head;
    long from = 0;
    long length = size;
    if (r instanceof ByteRange.Part part) {
      head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PARTIAL_CONTENT);
      from = part.range().first();
      length = part.range().length();
      head.headers()
          .set(
              HttpHeaderNames.CONTENT_RANGE,
              "bytes " + part.range().first() + "-" + part.range().last() + "/" + size);
      s.metrics().download(DownloadOutcome.PARTIAL);
    } else {
      head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      s.metrics().download(DownloadOutcome.FULL);
    }
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes")
        .set(HttpHeaderNames.ETAG, etag)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    if (!req.method().equals(HttpMethod.HEAD)) {
      s.metrics().bytesDownloaded.add(length);
    }
    ex.stream(head, content.channel(), from, length);
  }

  private void delete(Exchange ex, String id) {
    String token = UploadAuthorizer.bearer(ex.request());
    if (token == null) {
      FullHttpResponse r =
          Exchange.text(
              HttpResponseStatus.UNAUTHORIZED,
              "missing delete token (expected: Authorization: Bearer <deleteToken>)");
      r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
      ex.reply(r);
      return;
    }
    s.io()
        .execute(
            () -> {
              try {
                switch (s.catalog().delete(id, token)) {
                  case DELETED -> ex.reply(Exchange.response(HttpResponseStatus.NO_CONTENT));
                  case NOT_FOUND -> ex.reply(notFound());
                  case FORBIDDEN ->
                      ex.reply(Exchange.text(HttpResponseStatus.FORBIDDEN, "wrong delete token"));
                }
              } catch (IOException | RuntimeException e) {
                log.warn("blob store: delete failed: {}", LogSafe.of(e));
                ex.fail("delete failed");
              }
            });
  }

  private void done(Exchange ex, String id) {
    s.io()
        .execute(
            () -> {
              try {
                switch (s.catalog().done(id)) {
                  case COUNTED, REMOVED ->
                      ex.reply(Exchange.response(HttpResponseStatus.NO_CONTENT));
                  case NOT_FOUND -> ex.reply(notFound());
                }
              } catch (IOException | RuntimeException e) {
                log.warn("blob store: done failed: {}", LogSafe.of(e));
                ex.fail("done failed");
              }
            });
  }
}
