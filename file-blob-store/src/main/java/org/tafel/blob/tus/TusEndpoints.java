package org.tafel.blob.tus;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.BlobMetrics.UploadOutcome;
import org.tafel.blob.LogSafe;
import org.tafel.blob.expiry.Lifetime;
import org.tafel.blob.http.BlobEndpoints;
import org.tafel.blob.http.BodyReceiver;
import org.tafel.blob.http.BodySink;
import org.tafel.blob.http.Exchange;
import org.tafel.blob.http.Services;
import org.tafel.blob.storage.BlobIds;
import org.tafel.protocol.token.UploadToken;

/**
 * tus 1.0.0 at {@code /v1/uploads}. Creation needs a bearer upload token; afterwards the upload URL
 * (128 random bits) is the capability, so a resumed upload works after its token expired. Statuses
 * are listed in docs/blob-store.md; 460 is tus's checksum mismatch.
 */
public final class TusEndpoints {
  private static final Logger log = LoggerFactory.getLogger(TusEndpoints.class);
  public static final String PREFIX = "/v1/uploads";
  public static final String VERSION = "1.0.0";
  public static final String EXTENSIONS =
      "creation,creation-with-upload,expiration,termination,checksum";
  public static final String CHECKSUMS = "sha1,sha256";
  public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
  static final HttpResponseStatus CHECKSUM_MISMATCH =
      new HttpResponseStatus(460, "Checksum Mismatch");
  static final String BLOB_ID = "Tafel-Blob-Id";
  static final String DELETE_TOKEN = "Tafel-Delete-Token";
  static final String EXPIRES_AT = "Tafel-Expires-At";

  private final Services s;
  private final TusStore store;

  public TusEndpoints(Services services, TusStore store) {
    this.s = services;
    this.store = store;
  }

  public BodyReceiver route(Exchange ex, String path) {
    HttpRequest req = ex.request();
    HttpMethod m = req.method();
    String id = null;
    if (!path.equals(PREFIX)) {
      if (!path.startsWith(PREFIX + "/")) {
        ex.reply(tus(BlobEndpoints.notFound()));
        return null;
      }
      id = path.substring(PREFIX.length() + 1);
      if (!BlobIds.isValid(id)) {
        ex.reply(tus(BlobEndpoints.notFound()));
        return null;
      }
    }
    if (m.equals(HttpMethod.OPTIONS)) {
      FullHttpResponse r = Exchange.response(HttpResponseStatus.NO_CONTENT);
      r.headers()
          .set("Tus-Resumable", VERSION)
          .set("Tus-Version", VERSION)
          .set("Tus-Extension", EXTENSIONS)
          .set("Tus-Max-Size", Long.toString(s.limits().maxBytes()))
          .set("Tus-Checksum-Algorithm", CHECKSUMS);
      ex.reply(r);
      return null;
    }
    if (!VERSION.equals(req.headers().get("Tus-Resumable"))) {
      FullHttpResponse r =
          Exchange.text(
              HttpResponseStatus.PRECONDITION_FAILED, "Tus-Resumable: expected " + VERSION);
      r.headers().set("Tus-Version", VERSION);
      ex.replyAndClose(r);
      return null;
    }
    if (id == null) {
      if (m.equals(HttpMethod.POST)) {
        return create(ex);
      }
      return notAllowed(ex, "POST, OPTIONS");
    }
    Optional<TusUpload> found = store.find(id);
    if (found.isEmpty()) {
      ex.reply(tus(BlobEndpoints.notFound()));
      return null;
    }
    TusUpload u = found.get();
    if (m.equals(HttpMethod.HEAD)) {
      FullHttpResponse r = tus(Exchange.response(HttpResponseStatus.OK));
      describe(r.headers(), u);
      r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      ex.reply(r);
      return null;
    }
    if (m.equals(HttpMethod.PATCH)) {
      return patch(ex, u);
    }
    if (m.equals(HttpMethod.DELETE)) {
      terminate(ex, u);
      return null;
    }
    return notAllowed(ex, "HEAD, PATCH, DELETE, OPTIONS");
  }

  private static BodyReceiver notAllowed(Exchange ex, String allow) {
    FullHttpResponse r =
        tus(Exchange.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed"));
    r.headers().set(HttpHeaderNames.ALLOW, allow);
    ex.reply(r);
    return null;
  }

  private static FullHttpResponse tus(FullHttpResponse r) {
    r.headers().set("Tus-Resumable", VERSION);
    return r;
  }

  /** Offset, length, expiry, the Tafel metadata, and the blob once finished. */
  private static void describe(HttpHeaders h, TusUpload u) {
    h.set("Upload-Offset", Long.toString(u.offset()));
    h.set("Upload-Length", Long.toString(u.length()));
    h.set("Upload-Expires", DateFormatter.format(Date.from(u.expiresAt())));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(Lifetime.EXPIRES_IN, Long.toString(u.lifetime().expiresIn().toSeconds()));
    if (u.lifetime().downloads() > 0) {
      meta.put(Lifetime.DOWNLOADS, Integer.toString(u.lifetime().downloads()));
    }
    h.set("Upload-Metadata", UploadMetadata.format(meta));
    String blob = u.blobId();
    if (blob != null) {
      h.set(BLOB_ID, blob);
      h.set(DELETE_TOKEN, u.deleteToken());
      Instant expires = u.blobExpiresAt();
      if (expires != null) {
        h.set(EXPIRES_AT, expires.toString());
      }
    }
  }

  private BodyReceiver create(Exchange ex) {
    HttpRequest req = ex.request();
    UploadToken token = BlobEndpoints.authorize(s, ex, true);
    if (token == null) {
      return null;
    }
    String lengthText = req.headers().get("Upload-Length");
    if (req.headers().contains("Upload-Defer-Length") || req.headers().contains("Upload-Concat")) {
      return bad(ex, "Upload-Defer-Length and Upload-Concat are not supported");
    }
    long length = digits(lengthText);
    if (length < 0) {
      return bad(ex, "Upload-Length: expected a non-negative integer");
    }
    Lifetime lifetime;
    try {
      Map<String, String> meta = UploadMetadata.parse(req.headers().get("Upload-Metadata"));
      String e = req.headers().get(Lifetime.EXPIRES_IN);
      String d = req.headers().get(Lifetime.DOWNLOADS);
      lifetime =
          Lifetime.parse(
              e != null ? e : meta.get(Lifetime.EXPIRES_IN.toLowerCase(Locale.ROOT)),
              d != null ? d : meta.get(Lifetime.DOWNLOADS.toLowerCase(Locale.ROOT)),
              s.limits().defaultExpiry(),
              s.limits().maxExpiry(),
              s.limits().maxDownloads());
    } catch (IllegalArgumentException | Lifetime.InvalidException e) {
      return bad(ex, e.getMessage());
    }
    long limit = Math.min(s.limits().maxBytes(), token.cap());
    if (length > limit) {
      s.metrics().upload(true, UploadOutcome.TOO_LARGE);
      BlobEndpoints.tooLarge(ex, limit);
      return null;
    }
    boolean withBody = hasBody(req);
    if (withBody && !OFFSET_OCTET_STREAM.equals(contentType(req))) {
      s.metrics().upload(true, UploadOutcome.BAD_REQUEST);
      ex.replyAndClose(
          tus(
              Exchange.text(
                  HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                  "Content-Type: expected " + OFFSET_OCTET_STREAM)));
      return null;
    }
    String owner = token.sub();
    if (!BlobEndpoints.rateAllows(s, ex, owner, true)
        || !BlobEndpoints.reserve(s, ex, owner, length, true)) {
      return null;
    }
    TusUpload u;
    try {
      u =
          store.create(
              length, owner, lifetime, s.clock().instant().plus(s.limits().uploadExpiry()));
    } catch (IOException e) {
      s.quotas().release(owner, length);
      s.metrics().upload(true, UploadOutcome.FAILED);
      log.warn("tus: cannot create an upload: {}", LogSafe.of(e));
      ex.fail("storage unavailable");
      return null;
    }
    String location = PREFIX + "/" + u.id();
    if (!withBody) {
      s.io()
          .execute(
              () -> {
                try {
                  store.persist(u);
                  if (length == 0) {
                    store.complete(u);
                  }
                  s.metrics()
                      .upload(true, length == 0 ? UploadOutcome.CREATED : UploadOutcome.STARTED);
                  FullHttpResponse r = tus(Exchange.response(HttpResponseStatus.CREATED));
                  r.headers().set(HttpHeaderNames.LOCATION, location);
                  describe(r.headers(), u);
                  ex.reply(r);
                } catch (IOException | RuntimeException e) {
                  failCreate(ex, u, e);
                }
              });
      return null;
    }
    store.tryLock(u);
    return startBody(ex, u, 0, null, location);
  }

  private void failCreate(Exchange ex, TusUpload u, Exception e) {
    log.warn("tus: cannot store an upload's state: {}", LogSafe.of(e));
    s.metrics().upload(true, UploadOutcome.FAILED);
    try {
      store.remove(u);
    } catch (IOException ignored) {
      // already reported
    }
    ex.fail("storage unavailable");
  }

  private static BodyReceiver bad(Exchange ex, String message) {
    ex.replyAndClose(tus(Exchange.text(HttpResponseStatus.BAD_REQUEST, message)));
    return null;
  }

  private static boolean hasBody(HttpRequest req) {
    return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
  }

  private static String contentType(HttpRequest req) {
    String ct = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (ct == null) {
      return null;
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static long digits(String s) {
    if (s == null || s.isEmpty() || s.length() > 18) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  /** A parsed {@code Upload-Checksum}: algorithm and expected digest. */
  private record Checksum(String algorithm, byte[] expected) {
    MessageDigest digest() {
      try {
        return MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private BodyReceiver patch(Exchange ex, TusUpload u) {
    HttpRequest req = ex.request();
    if (!OFFSET_OCTET_STREAM.equals(contentType(req))) {
      s.metrics().upload(true, UploadOutcome.BAD_REQUEST);
      ex.replyAndClose(
          tus(
              Exchange.text(
                  HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                  "Content-Type: expected " + OFFSET_OCTET_STREAM)));
      return null;
    }
    long offset = digits(req.headers().get("Upload-Offset"));
    if (offset < 0) {
      s.metrics().upload(true, UploadOutcome.BAD_REQUEST);
      return bad(ex, "Upload-Offset: expected a non-negative integer");
    }
    Checksum checksum = null;
    String cs = req.headers().get("Upload-Checksum");
    if (cs != null) {
      String[] parts = cs.trim().split(" ", -1);
      String algorithm = parts[0].toLowerCase(Locale.ROOT);
      if (parts.length != 2 || !(algorithm.equals("sha1") || algorithm.equals("sha256"))) {
        s.metrics().upload(true, UploadOutcome.BAD_REQUEST);
        return bad(ex, "Upload-Checksum: expected 'sha1 BASE64' or 'sha256 BASE64'");
      }
      try {
        checksum = new Checksum(algorithm, Base64.getDecoder().decode(parts[1]));
      } catch (IllegalArgumentException e) {
        s.metrics().upload(true, UploadOutcome.BAD_REQUEST);
        return bad(ex, "Upload-Checksum: digest is not base64");
      }
    }
    if (!store.tryLock(u)) {
      ex.replyAndClose(
          tus(Exchange.text(HttpResponseStatus.LOCKED, "another PATCH of this upload is running")));
      return null;
    }
    if (offset != u.offset()) {
      store.unlock(u);
      s.metrics().upload(true, UploadOutcome.OFFSET_MISMATCH);
      FullHttpResponse r =
          tus(
              Exchange.text(
                  HttpResponseStatus.CONFLICT, "Upload-Offset differs from the upload's"));
      r.headers().set("Upload-Offset", Long.toString(u.offset()));
      ex.replyAndClose(r);
      return null;
    }
    long declared =
        HttpUtil.isTransferEncodingChunked(req) ? -1 : HttpUtil.getContentLength(req, 0L);
    long room = u.length() - offset;
    if (declared > room) {
      store.unlock(u);
      s.metrics().upload(true, UploadOutcome.TOO_LARGE);
      BlobEndpoints.tooLarge(ex, room);
      return null;
    }
    return startBody(ex, u, offset, checksum, null);
  }

  /**
   * Receives one body into the upload (a PATCH, or the body of a creation-with-upload when {@code
   * location} is set). The upload is locked by the caller.
   */
  private BodyReceiver startBody(
      Exchange ex, TusUpload u, long offset, Checksum checksum, String location) {
    if (!s.uploadSlots().tryAcquire()) {
      store.unlock(u);
      s.metrics().upload(true, UploadOutcome.BUSY);
      if (location != null) {
        failCreate(ex, u, new IOException("busy"));
        return null;
      }
      ex.busy();
      return null;
    }
    FileChannel ch;
    try {
      ch = store.openAtOffset(u);
    } catch (IOException e) {
      s.uploadSlots().release();
      store.unlock(u);
      log.warn("tus: cannot open an upload's file: {}", LogSafe.of(e));
      ex.fail("storage unavailable");
      return null;
    }
    ex.continueIfExpected();
    return new PatchReceiver(ex, u, ch, u.length() - offset, checksum, location);
  }

  private final class PatchReceiver implements BodyReceiver {
    private final Exchange ex;
    private final TusUpload u;
    private final FileChannel ch;
    private final long room;
    private final Checksum checksum;
    private final MessageDigest digest;
    private final String location;
    private final BodySink sink;
    private long received;
    private boolean over;

    PatchReceiver(
        Exchange ex, TusUpload u, FileChannel ch, long room, Checksum checksum, String location) {
      this.ex = ex;
      this.u = u;
      this.ch = ch;
      this.room = room;
      this.checksum = checksum;
      this.digest = checksum != null ? checksum.digest() : null;
      this.location = location;
      this.sink = new BodySink(ch, s.io(), digest, ex.resumeReading());
    }

    @Override
    public void content(ByteBuf chunk) {
      if (over) {
        chunk.release();
        return;
      }
      received += chunk.readableBytes();
      if (received > room) {
        chunk.release();
        s.metrics().upload(true, UploadOutcome.TOO_LARGE);
        stop(false);
        BlobEndpoints.tooLarge(ex, room);
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
              (n, failure) -> {
                // The upload is unlocked before the client hears back: a client that got its
                // answer may send the next PATCH at once, and must not find the upload locked.
                Runnable answer;
                try {
                  answer = settle(n, failure);
                } finally {
                  close();
                }
                answer.run();
              },
              s.io());
    }

    /** Stores or discards the received chunk; returns how to answer the client. */
    private Runnable settle(Long n, Throwable failure) {
      try {
        if (failure != null) {
          throw failure;
        }
        if (checksum != null && !MessageDigest.isEqual(digest.digest(), checksum.expected())) {
          ch.truncate(u.offset());
          s.metrics().upload(true, UploadOutcome.CHECKSUM_MISMATCH);
          finishCreation();
          FullHttpResponse r =
              tus(
                  Exchange.text(
                      CHECKSUM_MISMATCH,
                      "Upload-Checksum does not match; the chunk was discarded"));
          return () -> ex.reply(r);
        }
        store.advance(u, ch, n);
        if (u.offset() == u.length()) {
          store.complete(u);
        } else if (location != null) {
          store.persist(u);
        }
        s.metrics().bytesUploaded.add(n);
        s.metrics()
            .upload(
                true,
                u.completed()
                    ? UploadOutcome.CREATED
                    : location != null ? UploadOutcome.STARTED : UploadOutcome.CHUNK);
        FullHttpResponse r =
            tus(
                Exchange.response(
                    location != null ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT));
        if (location != null) {
          r.headers().set(HttpHeaderNames.LOCATION, location);
        }
        describe(r.headers(), u);
        return () -> ex.reply(r);
      } catch (Throwable t) {
        log.warn("tus: a chunk could not be stored: {}", LogSafe.of(t));
        s.metrics().upload(true, UploadOutcome.FAILED);
        try {
          ch.truncate(u.offset());
        } catch (IOException ignored) {
          // the state's offset still rules at the next start
        }
        return () -> ex.fail("chunk could not be stored");
      }
    }

    /** A creation-with-upload whose body is refused still leaves a created, empty upload. */
    private void finishCreation() throws IOException {
      if (location != null) {
        store.persist(u);
      }
    }

    @Override
    public void abort() {
      if (over) {
        return;
      }
      s.metrics().upload(true, UploadOutcome.ABORTED);
      stop(checksum == null);
    }

    /**
     * Stops receiving. Without a checksum the bytes that did arrive are kept (tus core: a client
     * resumes from the offset a HEAD reports); with one they cannot be verified and are dropped.
     */
    private void stop(boolean keep) {
      over = true;
      sink.abort()
          .whenCompleteAsync(
              (n, e) -> {
                try {
                  if (keep && n > 0) {
                    store.advance(u, ch, n);
                    if (u.offset() == u.length()) {
                      store.complete(u);
                    }
                  } else {
                    ch.truncate(u.offset());
                  }
                  finishCreation();
                } catch (IOException ex2) {
                  log.warn("tus: an interrupted chunk could not be settled: {}", LogSafe.of(ex2));
                } finally {
                  close();
                }
              },
              s.io());
    }

    private void close() {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
      store.unlock(u);
      s.uploadSlots().release();
    }
  }

  private void terminate(Exchange ex, TusUpload u) {
    if (!store.tryLock(u)) {
      ex.reply(tus(Exchange.text(HttpResponseStatus.LOCKED, "a PATCH of this upload is running")));
      return;
    }
    s.io()
        .execute(
            () -> {
              boolean removed = false;
              try {
                store.remove(u);
                removed = true;
              } catch (IOException e) {
                log.warn("tus: termination failed: {}", LogSafe.of(e));
              } finally {
                store.unlock(u); // before the answer, as after a PATCH
              }
              if (removed) {
                ex.reply(tus(Exchange.response(HttpResponseStatus.NO_CONTENT)));
              } else {
                ex.fail("termination failed");
              }
            });
  }
}
