package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.blob.testing.RawHttp;
import org.tafel.blob.testing.TestClock;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.protocol.token.UploadTokens;

/** HTTPS with a configured certificate, keep-alive and pipelined requests. */
@ExtendWith(NettyLeakDetectorExtension.class)
class TransportTest {
  @TempDir Path dir;

  @Test
  void servesUploadsAndRangesOverTls() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost", "EC", 256);
    TestClock clock = new TestClock();
    BlobServer server =
        new BlobServer(
            BlobConfig.defaults(dir, BlobFixture.KEYS)
                .withPort(0)
                .withTls(cert.certificate().toPath(), cert.privateKey().toPath()),
            new MetricsRegistry(),
            clock);
    server.start();
    try {
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] c, String a) {}

              @Override
              public void checkServerTrusted(X509Certificate[] c, String a) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          null);
      HttpClient https =
          HttpClient.newBuilder().sslContext(trustAll).version(HttpClient.Version.HTTP_1_1).build();
      String base = "https://localhost:" + server.port();
      byte[] body = BlobFixture.random(2 * 1024 * 1024 + 3);
      String token =
          new UploadTokens(BlobFixture.KEYS, clock)
              .issue("o", 1L << 30, java.time.Duration.ofMinutes(5));
      HttpResponse<String> created =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/blobs"))
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      String id = created.body().replaceAll(".*\"id\":\"([0-9a-f]{32})\".*", "$1");
      HttpResponse<byte[]> got =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/blobs/" + id)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertArrayEquals(body, got.body());
      HttpResponse<byte[]> part =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/blobs/" + id))
                  .header("Range", "bytes=1000000-1999999")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(206, part.statusCode());
      assertArrayEquals(Arrays.copyOfRange(body, 1_000_000, 2_000_000), part.body());
    } finally {
      server.close();
      cert.delete();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    try (BlobFixture f = new BlobFixture(dir)) {
      String a = BlobFixture.id(f.upload("first".getBytes(StandardCharsets.UTF_8)));
      String b = BlobFixture.id(f.upload("second!".getBytes(StandardCharsets.UTF_8)));
      try (RawHttp c = new RawHttp(f.port())) {
        // a done (answered after a disk write) between two GETs, all sent at once
        c.write(
            "GET /v1/blobs/"
                + a
                + " HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /v1/blobs/"
                + a
                + "/done HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                + "GET /v1/blobs/"
                + b
                + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String h1 = c.readHead();
        assertEquals(200, RawHttp.status(h1), h1);
        assertEquals("first", new String(c.readBody(5), StandardCharsets.UTF_8));
        String h2 = c.readHead();
        assertEquals(204, RawHttp.status(h2), h2);
        String h3 = c.readHead();
        assertEquals(200, RawHttp.status(h3), h3);
        assertEquals("second!", new String(c.readBody(7), StandardCharsets.UTF_8));
        assertTrue(!c.closedByPeerWithin(200), "keep-alive");
      }
    }
  }
}
