package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.blob.testing.RawHttp;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.testing.MutableClock;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.protocol.testing.TlsProbe;
import org.tafel.protocol.token.UploadTokens;

/** HTTPS with a configured certificate, keep-alive and pipelined requests. */
@ExtendWith(NettyLeakDetectorExtension.class)
class TransportTest {
  @TempDir Path dir;

  @Test
  void servesUploadsAndRangesOverTls() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost", "EC", 256);
    MutableClock clock = new MutableClock();
    BlobServer server =
        new BlobServer(
            BlobConfig.defaults(dir, BlobFixture.KEYS)
                .withPort(0)
                .withTls(cert.certificate().toPath(), cert.privateKey().toPath()),
            new MetricsRegistry(),
            clock);
    server.start();
    try {
      SSLContext trustAll = TlsProbe.trustAll();
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

  @Test
  void servesARenewedCertificateWithoutARestart() throws Exception {
    SelfSignedCertificate first = new SelfSignedCertificate("localhost", "EC", 256);
    SelfSignedCertificate second = new SelfSignedCertificate("localhost", "EC", 256);
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.copy(first.certificate().toPath(), cert);
    Files.copy(first.privateKey().toPath(), key);
    Files.setLastModifiedTime(cert, FileTime.fromMillis(1_000_000_000_000L));
    BlobServer server =
        new BlobServer(
            BlobConfig.defaults(dir.resolve("data"), BlobFixture.KEYS)
                .withPort(0)
                .withTls(cert, key),
            new MetricsRegistry(),
            new MutableClock());
    server.start();
    try {
      assertEquals(first.cert().getSerialNumber(), TlsProbe.servedSerial(server.port()));
      assertFalse(server.reloadCertificateIfChanged(), "nothing changed");
      Files.copy(second.certificate().toPath(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.privateKey().toPath(), key, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(key, FileTime.fromMillis(1_000_000_200_000L));
      assertTrue(server.reloadCertificateIfChanged());
      assertEquals(second.cert().getSerialNumber(), TlsProbe.servedSerial(server.port()));
    } finally {
      server.close();
      first.delete();
      second.delete();
    }
  }
}
