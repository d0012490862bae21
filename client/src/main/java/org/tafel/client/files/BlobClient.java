package org.tafel.client.files;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.tafel.client.Backoff;

/**
 * Talks to the Tafel blob store (DESIGN.md §6, docs/blob-store.md): uploads ciphertext with tus 1.0
 * and resumes it after a broken connection, downloads a blob and resumes it with {@code Range}, and
 * reports a finished download with {@code done}. It never sees plaintext or keys: the caller
 * encrypts ({@link OutgoingFile#source()}) and decrypts ({@link ReceivedFiles}).
 *
 * <p><b>Upload</b>: {@code POST /v1/uploads} (the upload token, {@code Upload-Length}, the lifetime
 * as {@code Tafel-Expires-In}/{@code Tafel-Downloads} tus metadata), then one {@code PATCH} per
 * chunk ({@link Tuning#chunkSize()}, 4 MiB by default) with {@code Upload-Checksum: sha256}, read
 * from the source into one chunk buffer — never the whole file in memory. A broken connection, a
 * 5xx, a 423 (another PATCH still running) or a 460 (checksum mismatch) leads to a {@code HEAD} for
 * the server's offset after a backoff (doubling from {@link Tuning#firstBackoff()} up to {@link
 * Tuning#maxBackoff()}, with jitter, honouring {@code Retry-After}) and to a fresh {@code
 * source.open(offset)}; a 409 resumes from the offset it names. {@link Tuning#maxAttempts()}
 * consecutive failures without progress end the upload with the last error; any chunk stored resets
 * the count. The creation {@code POST} is retried the same way (an orphaned upload expires on the
 * server after 24 h and gives its quota back). Other statuses end it with a {@link BlobException}.
 *
 * <p><b>Download</b>: {@code GET /v1/blobs/{id}} streamed into {@code target} (created or
 * truncated); when the connection breaks, {@code GET} again with {@code Range: bytes=N-} and {@code
 * If-Range: <ETag>} and append; a {@code 200} instead of a {@code 206} starts over. Same retry
 * bounds. The bytes are the ciphertext: the caller verifies and decrypts them.
 *
 * <p>{@code done} is not retried: the server counts each call, and a retried call whose first
 * response was lost would count twice.
 *
 * <p>Additions to the agreed API (nothing removed or changed): {@link #delete(String, String)}, and
 * the constructors taking a {@link Tuning}, a {@link Clock} and an {@link SSLContext}.
 */
public final class BlobClient implements AutoCloseable {
  static final String TUS_VERSION = "1.0.0";
  static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
  static final int CHECKSUM_MISMATCH = 460;
  private static final Pattern BLOB_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  /** What a finished upload gave: the blob ID (the read capability) and its delete token. */
  public record UploadResult(String blobId, String deleteToken, long size, Instant expiresAt) {
    @Override
    public String toString() {
      // The blob ID is a capability and the delete token a secret: never in logs by accident.
      return "UploadResult[size=" + size + ", expiresAt=" + expiresAt + "]";
    }
  }

  /**
   * The blob's lifetime.
   *
   * @param expiresIn lifetime from completion, whole seconds, or null for the server's default (14
   *     days); the server refuses more than its maximum (30 days by default) with 400
   * @param downloads how many {@code done} calls remove the blob (1..10,000), or null for none
   */
  public record UploadOptions(Duration expiresIn, Integer downloads) {
    public static final UploadOptions DEFAULTS = new UploadOptions(null, null);

    public UploadOptions {
      if (expiresIn != null && expiresIn.getSeconds() < 1) {
        throw new IllegalArgumentException("expiresIn: " + expiresIn + " (expected: >= 1s)");
      }
      if (downloads != null && downloads < 1) {
        throw new IllegalArgumentException("downloads: " + downloads + " (expected: >= 1)");
      }
    }
  }

  /**
   * How the client transfers and retries; {@link #defaults()} suits school Wi-Fi.
   *
   * @param chunkSize bytes per tus PATCH, each held in memory once (default 4 MiB; 64 KiB..64 MiB)
   * @param maxAttempts consecutive failed attempts without progress before giving up (default 8)
   * @param firstBackoff wait after the first failure, doubled after each further one (default 250
   *     ms)
   * @param maxBackoff longest wait between attempts (default 10 s)
   * @param connectTimeout TCP (and TLS) connect timeout (default 10 s)
   * @param requestTimeout time from sending a request to its response headers, a PATCH body
   *     included (default 5 min)
   */
  public record Tuning(
      int chunkSize,
      int maxAttempts,
      Duration firstBackoff,
      Duration maxBackoff,
      Duration connectTimeout,
      Duration requestTimeout) {
    public Tuning {
      if (chunkSize < 64 * 1024 || chunkSize > 64 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "chunkSize: " + chunkSize + " (expected: 65536..67108864)");
      }
      if (maxAttempts < 1 || maxAttempts > 1000) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1..1000)");
      }
      Objects.requireNonNull(firstBackoff, "firstBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
        throw new IllegalArgumentException(
            "backoff: " + firstBackoff + ".." + maxBackoff + " (expected: 0 <= first <= max)");
      }
      positive("connectTimeout", connectTimeout);
      positive("requestTimeout", requestTimeout);
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
    }

    public static Tuning defaults() {
      return new Tuning(
          4 * 1024 * 1024,
          8,
          Duration.ofMillis(250),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofMinutes(5));
    }

    public Tuning withChunkSize(int bytes) {
      return new Tuning(
          bytes, maxAttempts, firstBackoff, maxBackoff, connectTimeout, requestTimeout);
    }

    public Tuning withBackoff(Duration first, Duration max) {
      return new Tuning(chunkSize, maxAttempts, first, max, connectTimeout, requestTimeout);
    }

    public Tuning withMaxAttempts(int attempts) {
      return new Tuning(
          chunkSize, attempts, firstBackoff, maxBackoff, connectTimeout, requestTimeout);
    }
  }

  private final URI base;
  private final Tuning tuning;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient http;

  /**
   * A client of the blob store at {@code baseUri} ({@code http(s)://host:port}), default tuning.
   */
  public BlobClient(URI baseUri) {
    this(baseUri, Tuning.defaults(), Clock.systemUTC());
  }

  /**
   * @param clock only estimates a blob's expiry when the server does not send {@code
   *     Tafel-Expires-At}
   */
  public BlobClient(URI baseUri, Tuning tuning, Clock clock) {
    this(baseUri, tuning, clock, null);
  }

  /**
   * @param tls trust for {@code https} (a school's own CA, a pinned self-signed certificate), or
   *     null for the JDK's default trust store; the host name is verified either way
   */
  public BlobClient(URI baseUri, Tuning tuning, Clock clock, SSLContext tls) {
    this.base = normalize(baseUri);
    this.tuning = Objects.requireNonNull(tuning, "tuning");
    this.clock = Objects.requireNonNull(clock, "clock");
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "tafel-blob-client-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(tuning.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor);
    if (tls != null) {
      http.sslContext(tls);
    }
    this.http = http.build();
  }

  private static URI normalize(URI uri) {
    Objects.requireNonNull(uri, "baseUri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("blob store: " + uri + " (expected: http(s)://host:port)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  // ---------------------------------------------------------------------------------- upload

  /**
   * Uploads {@code length} bytes read from {@code source} and returns the blob.
   *
   * @param source the ciphertext, opened at 0 and again at the server's offset after a failure
   * @param uploadToken a {@code ut1} upload token ({@code tafel admin upload-token}, or signaling)
   * @param progress told of bytes handed to the connection; never goes backwards (after a resume
   *     from an earlier offset it waits until the transfer passes what it showed)
   * @throws BlobException a status the server meant (401 token, 413 size, 429, 507 quota, ...), or
   *     a 5xx that persisted through every attempt
   * @throws IOException the source failed or ended early, or the connection failed {@link
   *     Tuning#maxAttempts()} times in a row
   */
  public UploadResult upload(
      OutgoingFile.Source source,
      long length,
      String uploadToken,
      UploadOptions options,
      ProgressListener progress)
      throws IOException, BlobException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(uploadToken, "uploadToken");
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    Progress p = new Progress(progress == null ? ProgressListener.NONE : progress, length);
    Retry retry = new Retry("upload");
    p.at(0);
    Head state =
        create(length, uploadToken, options == null ? UploadOptions.DEFAULTS : options, retry);
    URI upload = state.location;
    while (state.result == null) {
      long offset = state.offset;
      try (InputStream in = source.open(offset)) {
        state = sendChunks(upload, in, offset, length, p, retry);
      }
    }
    p.finish();
    return state.result;
  }

  /** Where an upload stands: its URL, the server's offset, and the blob once complete. */
  private record Head(URI location, long offset, UploadResult result) {}

  private Head create(long length, String token, UploadOptions options, Retry retry)
      throws IOException, BlobException {
    StringBuilder meta = new StringBuilder();
    if (options.expiresIn() != null) {
      meta.append("Tafel-Expires-In ").append(b64(Long.toString(options.expiresIn().getSeconds())));
    }
    if (options.downloads() != null) {
      if (meta.length() > 0) {
        meta.append(',');
      }
      meta.append("Tafel-Downloads ").append(b64(Integer.toString(options.downloads())));
    }
    while (true) {
      HttpRequest.Builder b =
          request(base.resolve(base.getRawPath() + "/v1/uploads"))
              .header("Tus-Resumable", TUS_VERSION)
              .header("Authorization", "Bearer " + token)
              .header("Upload-Length", Long.toString(length))
              .POST(HttpRequest.BodyPublishers.noBody());
      if (meta.length() > 0) {
        b.header("Upload-Metadata", meta.toString());
      }
      HttpResponse<String> r;
      try {
        r = send(b.build());
      } catch (IOException e) {
        retry.failed(e, null);
        continue;
      }
      if (r.statusCode() == 201) {
        String location =
            r.headers()
                .firstValue("Location")
                .orElseThrow(() -> new BlobException(201, "tus creation: no Location header"));
        URI upload = base.resolve(location);
        if (!upload.getRawPath().startsWith(base.getRawPath() + "/v1/uploads/")
            || !Objects.equals(upload.getRawAuthority(), base.getRawAuthority())) {
          throw new BlobException(201, "tus creation: unexpected Location " + location);
        }
        retry.progressed();
        return new Head(upload, offset(r.headers(), 0), result(r.headers(), length));
      }
      retryOrThrow(r, retry, "tus creation");
    }
  }

  /**
   * Sends PATCHes from {@code offset} until the upload completes (result set) or something fails
   * (returns the server's offset to reopen the source at).
   */
  private Head sendChunks(
      URI upload, InputStream in, long offset, long length, Progress p, Retry retry)
      throws IOException, BlobException {
    while (true) {
      int n = (int) Math.min(tuning.chunkSize(), length - offset);
      byte[] chunk = in.readNBytes(n);
      if (chunk.length < n) {
        throw new EOFException(
            "upload source ended at byte "
                + (offset + chunk.length)
                + " (expected: "
                + length
                + " bytes)");
      }
      HttpRequest req =
          request(upload)
              .header("Tus-Resumable", TUS_VERSION)
              .header("Content-Type", OFFSET_OCTET_STREAM)
              .header("Upload-Offset", Long.toString(offset))
              .header("Upload-Checksum", "sha256 " + sha256(chunk))
              .method("PATCH", countingBody(chunk, offset, p))
              .build();
      HttpResponse<String> r;
      try {
        r = send(req);
      } catch (IOException e) {
        retry.failed(e, null);
        return head(upload, length, retry);
      }
      int status = r.statusCode();
      if (status == 204 || status == 200) {
        long now = offset(r.headers(), -1);
        if (now < 0 || now > length) {
          throw new BlobException(status, "tus PATCH: missing or bad Upload-Offset");
        }
        UploadResult done = result(r.headers(), length);
        if (done != null) {
          return new Head(upload, now, done);
        }
        if (now == length) {
          throw new BlobException(status, "tus PATCH: complete but no Tafel-Blob-Id");
        }
        if (now != offset + n) {
          // Not what was sent: reopen the source where the server is.
          retry.failed(null, status);
          return new Head(upload, now, null);
        }
        retry.progressed();
        p.at(now);
        offset = now;
        continue;
      }
      if (status == 409) {
        long now = offset(r.headers(), -1);
        retry.failed(null, status);
        return now >= 0 ? new Head(upload, now, null) : head(upload, length, retry);
      }
      if (retriable(status)) {
        retry.failed(null, status, retryAfter(r.headers()));
        return head(upload, length, retry);
      }
      throw error(r, "tus PATCH");
    }
  }

  /** HEAD the upload for its offset (and its blob, if the lost response had completed it). */
  private Head head(URI upload, long length, Retry retry) throws IOException, BlobException {
    while (true) {
      HttpResponse<String> r;
      try {
        r =
            send(
                request(upload)
                    .header("Tus-Resumable", TUS_VERSION)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build());
      } catch (IOException e) {
        retry.failed(e, null);
        continue;
      }
      if (r.statusCode() == 200) {
        long offset = offset(r.headers(), -1);
        if (offset < 0 || offset > length) {
          throw new BlobException(200, "tus HEAD: missing or bad Upload-Offset");
        }
        return new Head(upload, offset, result(r.headers(), length));
      }
      retryOrThrow(r, retry, "tus HEAD");
    }
  }

  private UploadResult result(HttpHeaders h, long length) throws BlobException {
    Optional<String> id = h.firstValue("Tafel-Blob-Id");
    if (id.isEmpty()) {
      return null;
    }
    if (!BLOB_ID.matcher(id.get()).matches()) {
      throw new BlobException(200, "tus: malformed Tafel-Blob-Id");
    }
    String deleteToken =
        h.firstValue("Tafel-Delete-Token")
            .orElseThrow(() -> new BlobException(200, "tus: Tafel-Blob-Id without a delete token"));
    return new UploadResult(id.get(), deleteToken, length, expiresAt(h));
  }

  /** The server's {@code Tafel-Expires-At}, else now + the {@code Tafel-Expires-In} it echoes. */
  private Instant expiresAt(HttpHeaders h) {
    Optional<String> at = h.firstValue("Tafel-Expires-At");
    if (at.isPresent()) {
      try {
        return Instant.parse(at.get());
      } catch (DateTimeParseException e) {
        // fall through to the estimate
      }
    }
    String meta = h.firstValue("Upload-Metadata").orElse("");
    for (String pair : meta.split(",")) {
      String[] kv = pair.trim().split(" ");
      if (kv.length == 2 && kv[0].equalsIgnoreCase("Tafel-Expires-In")) {
        try {
          long s =
              Long.parseLong(new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8));
          return clock.instant().plusSeconds(s);
        } catch (IllegalArgumentException e) {
          break;
        }
      }
    }
    return null;
  }

  private static HttpRequest.BodyPublisher countingBody(byte[] chunk, long offset, Progress p) {
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(
            () ->
                new ByteArrayInputStream(chunk) {
                  @Override
                  public synchronized int read(byte[] b, int off, int len) {
                    int n = super.read(b, off, len);
                    p.at(offset + pos);
                    return n;
                  }
                }),
        chunk.length);
  }

  // -------------------------------------------------------------------------------- download

  /**
   * Downloads blob {@code blobId} into {@code target} (created, or truncated if it exists),
   * resuming with {@code Range} after a broken connection, and forces it to disk. On failure {@code
   * target} holds a prefix of the blob; the caller removes it.
   *
   * @throws BlobException 404 for an unknown, expired or used-up blob; other statuses as sent
   * @throws IllegalArgumentException a blob ID that is not 32 lowercase hex digits
   */
  public void download(String blobId, Path target, ProgressListener progress)
      throws IOException, BlobException {
    URI uri = blobUri(blobId, "");
    Objects.requireNonNull(target, "target");
    ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
    Retry retry = new Retry("download");
    long written = 0;
    long total = -1;
    String etag = null;
    Progress p = null;
    try (FileChannel out =
        FileChannel.open(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (true) {
        HttpRequest.Builder b = request(uri).GET();
        if (written > 0) {
          b.header("Range", "bytes=" + written + "-");
          if (etag != null) {
            b.header("If-Range", etag);
          }
        }
        HttpResponse<InputStream> r;
        try {
          r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("download interrupted");
        } catch (IOException e) {
          retry.failed(e, null);
          continue;
        }
        int status = r.statusCode();
        if (status == 200) {
          if (written > 0) {
            // The blob is not the one we began with, or the server ignored Range: start over.
            out.truncate(0);
            written = 0;
          }
          total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
          etag = r.headers().firstValue("ETag").orElse(null);
        } else if (status == 206) {
          Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
          if (!m.matches() || Long.parseLong(m.group(1)) != written) {
            r.body().close();
            throw new BlobException(206, "download: Content-Range does not start at " + written);
          }
          total = Long.parseLong(m.group(3));
        } else if (status == 416 && written == total) {
          r.body().close();
          break;
        } else {
          String text = readText(r.body());
          if (retriable(status)) {
            retry.failed(null, status, retryAfter(r.headers()));
            continue;
          }
          throw new BlobException(status, "download: " + status + " " + text);
        }
        if (p == null) {
          p = new Progress(listener, Math.max(total, 0));
          p.at(written);
        }
        IOException broken = null;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try (InputStream in = r.body()) {
          while (true) {
            int n;
            try {
              n = in.read(buf.array());
            } catch (IOException e) {
              broken = e;
              break;
            }
            if (n < 0) {
              break;
            }
            buf.clear().limit(n);
            while (buf.hasRemaining()) {
              written += out.write(buf, written);
            }
            retry.progressed();
            p.at(written);
          }
        } catch (IOException closing) {
          // closing a broken response stream; the read already told us
        }
        if (total >= 0 && written > total) {
          throw new BlobException(status, "download: more bytes than Content-Length " + total);
        }
        if (broken == null && total >= 0 && written < total) {
          broken =
              new EOFException("download: connection closed at byte " + written + " of " + total);
        }
        if (broken != null) {
          retry.failed(broken, null);
          continue;
        }
        break;
      }
      out.force(true);
    }
    if (p != null) {
      p.finish();
    }
  }

  // ------------------------------------------------------------------------------ done, delete

  /**
   * Tells the store this recipient has the blob ({@code POST /v1/blobs/{id}/done}); with a download
   * count, the last {@code done} removes it. Not retried (see the class comment).
   *
   * @throws BlobException 404 when the blob is unknown, expired or already used up
   */
  public void done(String blobId) throws IOException, BlobException {
    HttpResponse<String> r =
        send(request(blobUri(blobId, "/done")).POST(HttpRequest.BodyPublishers.noBody()).build());
    if (r.statusCode() / 100 != 2) {
      throw error(r, "done");
    }
  }

  /**
   * Deletes the blob with the delete token its upload returned ({@code DELETE /v1/blobs/{id}}).
   *
   * @throws BlobException 401/403 for a wrong token, 404 for an unknown blob
   */
  public void delete(String blobId, String deleteToken) throws IOException, BlobException {
    Objects.requireNonNull(deleteToken, "deleteToken");
    HttpResponse<String> r =
        send(
            request(blobUri(blobId, ""))
                .header("Authorization", "Bearer " + deleteToken)
                .DELETE()
                .build());
    if (r.statusCode() / 100 != 2) {
      throw error(r, "delete");
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  // --------------------------------------------------------------------------------- helpers

  private URI blobUri(String blobId, String suffix) {
    if (blobId == null || !BLOB_ID.matcher(blobId).matches()) {
      throw new IllegalArgumentException("blob ID: expected 32 lowercase hex digits");
    }
    return URI.create(base + "/v1/blobs/" + blobId + suffix);
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(tuning.requestTimeout());
  }

  private HttpResponse<String> send(HttpRequest req) throws IOException {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(req.method() + " interrupted");
    }
  }

  private void retryOrThrow(HttpResponse<String> r, Retry retry, String what)
      throws IOException, BlobException {
    if (!retriable(r.statusCode())) {
      throw error(r, what);
    }
    retry.failed(null, r.statusCode(), retryAfter(r.headers()));
  }

  /** Statuses worth another attempt: the node is busy or broken, or a PATCH raced ours. */
  private static boolean retriable(int status) {
    return status == 423
        || status == CHECKSUM_MISMATCH
        || status == 500
        || status == 502
        || status == 503
        || status == 504;
  }

  private static BlobException error(HttpResponse<String> r, String what) {
    String body = r.body() == null ? "" : r.body().strip();
    if (body.length() > 200) {
      body = body.substring(0, 200) + "...";
    }
    return new BlobException(
        r.statusCode(), what + ": " + r.statusCode() + (body.isEmpty() ? "" : " " + body));
  }

  private static String readText(InputStream in) {
    try (in) {
      byte[] b = in.readNBytes(400);
      return new String(b, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static long offset(HttpHeaders h, long absent) {
    Optional<String> v = h.firstValue("Upload-Offset");
    if (v.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(v.get().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Duration retryAfter(HttpHeaders h) {
    try {
      return h.firstValue("Retry-After")
          .map(s -> Duration.ofSeconds(Long.parseLong(s.trim())))
          .orElse(null);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] b) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Consecutive failures of one transfer, and the backoff between them. */
  private final class Retry {
    private final String what;
    private int failures;

    Retry(String what) {
      this.what = what;
    }

    void progressed() {
      failures = 0;
    }

    void failed(IOException cause, Integer status) throws IOException, BlobException {
      failed(cause, status, null);
    }

    /** Waits before the next attempt, or throws when the attempts are used up. */
    void failed(IOException cause, Integer status, Duration retryAfter)
        throws IOException, BlobException {
      failures++;
      if (failures >= tuning.maxAttempts()) {
        String why = what + ": gave up after " + failures + " failed attempts";
        if (cause != null) {
          throw new IOException(why + ": " + cause.getMessage(), cause);
        }
        throw new BlobException(status == null ? 0 : status, why + ", last status " + status);
      }
      long wait =
          Backoff.delayMillis(
              tuning.firstBackoff(),
              tuning.maxBackoff(),
              failures - 1,
              ThreadLocalRandom.current());
      if (retryAfter != null) {
        wait = Math.max(wait, Math.min(tuning.maxBackoff().toMillis(), retryAfter.toMillis()));
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(what + " interrupted");
      }
    }
  }

  /** Passes progress on, never backwards, and once with done == total at the end. */
  private static final class Progress {
    private final ProgressListener listener;
    private final long total;
    private long shown = -1;

    Progress(ProgressListener listener, long total) {
      this.listener = listener;
      this.total = total;
    }

    synchronized void at(long done) {
      long d = Math.min(done, total);
      if (d < total && d > shown) {
        shown = d;
        listener.progress(d, total);
      }
    }

    synchronized void finish() {
      if (shown != total) {
        shown = total;
        listener.progress(total, total);
      }
    }
  }
}
