package org.tafel.blob.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tafel.blob.BlobConfig;
import org.tafel.blob.BlobServer;
import org.tafel.blob.BlobStartException;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.testing.MutableClock;
import org.tafel.protocol.token.KeyRing;
import org.tafel.protocol.token.UploadTokens;

/**
 * A {@link BlobServer} on a loopback port 0 in a temporary directory, with a test clock, a key ring
 * and an HTTP client.
 */
public final class BlobFixture implements AutoCloseable {
  public static final KeyRing KEYS =
      KeyRing.of("test1", "0123456789abcdef0123456789abcdef".getBytes());

  public final Path dir;
  public final MutableClock clock;
  public final MetricsRegistry metrics = new MetricsRegistry();
  public final BlobServer server;
  public final UploadTokens tokens;
  public final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public BlobFixture(Path dir, BlobConfig.Limits limits) {
    this(dir, limits, new MutableClock());
  }

  public BlobFixture(Path dir, BlobConfig.Limits limits, MutableClock clock) {
    this.dir = dir;
    this.clock = clock;
    this.tokens = new UploadTokens(KEYS, clock);
    server =
        new BlobServer(
            BlobConfig.defaults(dir, KEYS).withPort(0).withLimits(limits), metrics, clock);
    try {
      server.start();
    } catch (BlobStartException e) {
      throw new IllegalStateException(e);
    }
  }

  public BlobFixture(Path dir) {
    this(dir, BlobConfig.Limits.defaults());
  }

  public int port() {
    return server.port();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** A token for owner {@code sub} allowing {@code cap} bytes, valid 10 minutes. */
  public String token(String sub, long cap) {
    return tokens.issue(sub, cap, Duration.ofMinutes(10));
  }

  public String token() {
    return token("owner1", 1L << 30);
  }

  public HttpResponse<byte[]> send(HttpRequest.Builder b) {
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
  }

  /** POST /v1/blobs with {@code body}; returns the response. */
  public HttpResponse<byte[]> upload(byte[] body, String... headers) {
    HttpRequest.Builder b =
        request("/v1/blobs")
            .header("Authorization", "Bearer " + token())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{32})\"");
  private static final Pattern DELETE = Pattern.compile("\"deleteToken\":\"([^\"]+)\"");

  public static String id(HttpResponse<byte[]> created) {
    return field(ID, created);
  }

  public static String deleteToken(HttpResponse<byte[]> created) {
    return field(DELETE, created);
  }

  private static String field(Pattern p, HttpResponse<byte[]> r) {
    Matcher m = p.matcher(new String(r.body()));
    if (!m.find()) {
      throw new AssertionError("no " + p + " in " + r.statusCode() + " " + new String(r.body()));
    }
    return m.group(1);
  }

  public static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** Every regular file under the store's directory (relative paths). */
  public List<String> files() {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Files under {@code data/}, {@code tmp/} and {@code uploads/}: blobs, temporaries, tus state.
   */
  public List<String> files(String sub) {
    return files().stream().filter(f -> f.startsWith(sub + "/")).toList();
  }

  @Override
  public void close() {
    server.close();
  }
}
