package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.blob.testing.RawHttp;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/** Must-show 2: sizes over the limit are refused early, and nothing stays on disk. */
@ExtendWith(NettyLeakDetectorExtension.class)
class UploadLimitsTest {
  static final long LIMIT = 64 * 1024;
  @TempDir Path dir;
  BlobFixture f;

  @BeforeEach
  void start() {
    f = new BlobFixture(dir, BlobConfig.Limits.defaults().withMaxBytes(LIMIT));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void contentLengthOverTheLimitIsRefusedWith413BeforeAnyBodyByteIsSent() throws IOException {
    try (RawHttp c = new RawHttp(f.port())) {
      // Only the head goes out; the body never does. A server that waited for it would time out.
      c.write(
          "POST /v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + f.token()
              + "\r\nContent-Length: "
              + (LIMIT + 1)
              + "\r\n\r\n");
      String head = c.readHead();
      assertEquals(413, RawHttp.status(head), head);
      assertTrue(head.toLowerCase().contains("connection: close"), head);
      assertTrue(c.closedByPeer(), "server closes instead of reading the body");
    }
    assertEquals(List.of(), f.files(), "nothing on disk");
    assertEquals(1, uploads(BlobMetrics.UploadOutcome.TOO_LARGE));
  }

  @Test
  void tokenCapBelowTheLimitIsTheLimit() throws IOException {
    try (RawHttp c = new RawHttp(f.port())) {
      c.write(
          "POST /v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + f.token("owner1", 1000)
              + "\r\nContent-Length: 1001\r\n\r\n");
      assertEquals(413, RawHttp.status(c.readHead()));
    }
    assertEquals(List.of(), f.files());
  }

  @Test
  void chunkedBodyIsRefusedAsSoonAsItCrossesTheLimitAndItsTemporaryFileIsDeleted()
      throws Exception {
    try (RawHttp c = new RawHttp(f.port())) {
      c.write(
          "POST /v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + f.token()
              + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = BlobFixture.random(16 * 1024);
      // Four chunks reach the limit exactly; the fifth crosses it. The terminating chunk is never
      // sent: the refusal must not wait for the end of the body.
      for (int i = 0; i < 5; i++) {
        c.write(Integer.toHexString(chunk.length) + "\r\n");
        c.write(chunk);
        c.write("\r\n");
      }
      String head = c.readHead();
      assertEquals(413, RawHttp.status(head), head);
      assertTrue(c.closedByPeer());
    }
    awaitNoFiles();
    assertEquals(0, f.server.storedBlobs());
  }

  @Test
  void bodyExactlyAtTheLimitIsAccepted() {
    HttpResponse<byte[]> r = f.upload(BlobFixture.random((int) LIMIT));
    assertEquals(201, r.statusCode());
  }

  @Test
  void oversizeHeadersAnswer431AndTheServerStaysHealthy() throws IOException {
    try (RawHttp c = new RawHttp(f.port())) {
      c.write("GET /v1/blobs/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
      assertEquals(431, RawHttp.status(c.readHead()));
    }
    assertEquals(201, f.upload(BlobFixture.random(10)).statusCode());
  }

  @Test
  void concurrentUploadsBeyondTheCapAnswer503WithRetryAfter() throws Exception {
    f.close();
    f =
        new BlobFixture(
            dir.resolve("capped"), BlobConfig.Limits.defaults().withConcurrentUploads(1));
    try (RawHttp first = new RawHttp(f.port());
        RawHttp second = new RawHttp(f.port())) {
      first.write(
          "POST /v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + f.token()
              + "\r\nContent-Length: 10\r\n\r\n12345");
      // the first body is being received; its second half comes only later
      for (int i = 0; i < 250 && !metric().contains("tafel_blob_uploads_in_progress 1"); i++) {
        Thread.sleep(20);
      }
      assertTrue(metric().contains("tafel_blob_uploads_in_progress 1"), metric());
      second.write(
          "POST /v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + f.token()
              + "\r\nContent-Length: 10\r\n\r\n");
      String head = second.readHead();
      assertEquals(503, RawHttp.status(head), head);
      assertTrue(head.contains("retry-after: 5") || head.contains("Retry-After: 5"), head);
      first.write("67890");
      assertEquals(201, RawHttp.status(first.readHead()));
    }
  }

  @Test
  void ownerOverItsQuotaGets507AndDeletingGivesTheBytesBack() {
    f.close();
    f =
        new BlobFixture(
            dir.resolve("quota"),
            BlobConfig.Limits.defaults().withMaxBytes(1000).withQuota(2500, 60));
    HttpResponse<byte[]> a = f.upload(BlobFixture.random(1000));
    HttpResponse<byte[]> b = f.upload(BlobFixture.random(1000));
    assertEquals(201, b.statusCode());
    HttpResponse<byte[]> c = f.upload(BlobFixture.random(1000));
    assertEquals(507, c.statusCode(), new String(c.body()));
    // another owner is not affected
    HttpResponse<byte[]> other =
        f.send(
            f.request("/v1/blobs")
                .header("Authorization", "Bearer " + f.token("owner2", 1000))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[1000])));
    assertEquals(201, other.statusCode());
    f.send(
        f.request("/v1/blobs/" + BlobFixture.id(a))
            .header("Authorization", "Bearer " + BlobFixture.deleteToken(a))
            .DELETE());
    assertEquals(201, f.upload(BlobFixture.random(1000)).statusCode());
  }

  @Test
  void ownerStartingTooManyUploadsPerMinuteGets429WithRetryAfter() {
    f.close();
    f = new BlobFixture(dir.resolve("rate"), BlobConfig.Limits.defaults().withQuota(1L << 30, 3));
    for (int i = 0; i < 3; i++) {
      assertEquals(201, f.upload(BlobFixture.random(10)).statusCode());
    }
    HttpResponse<byte[]> r = f.upload(BlobFixture.random(10));
    assertEquals(429, r.statusCode());
    long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    f.clock.advance(java.time.Duration.ofSeconds(retry));
    assertEquals(201, f.upload(BlobFixture.random(10)).statusCode());
  }

  @Test
  void idleConnectionIsClosed() throws Exception {
    f.close();
    f =
        new BlobFixture(
            dir.resolve("idle"),
            BlobConfig.Limits.defaults().withIdleTimeout(java.time.Duration.ofSeconds(1)));
    try (RawHttp c = new RawHttp(f.port())) {
      c.write("POST /v1/blobs HTTP/1.1\r\nHost: x\r\n"); // headers never finished
      assertTrue(c.closedByPeer(), "closed after the idle timeout");
    }
  }

  @Test
  void slowDownloadLongerThanTheIdleTimeoutIsNotCutOff() throws Exception {
    f.close();
    f =
        new BlobFixture(
            dir.resolve("slow"),
            BlobConfig.Limits.defaults().withIdleTimeout(java.time.Duration.ofSeconds(2)));
    // Larger than the loopback socket buffers, read at about 2.5 MB/s: the one sendfile write
    // lasts several idle timeouts while it progresses.
    byte[] body = BlobFixture.random(16 * 1024 * 1024);
    String id = BlobFixture.id(f.upload(body));
    try (RawHttp c = new RawHttp(f.port())) {
      c.write("GET /v1/blobs/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, RawHttp.status(c.readHead()));
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      long start = System.nanoTime();
      while (got.size() < body.length) {
        byte[] part = c.readBody(Math.min(256 * 1024, body.length - got.size()));
        got.write(part);
        if (part.length == 0) {
          break; // closed by the server
        }
        Thread.sleep(100); // a slow reader: the whole download takes several idle timeouts
      }
      assertEquals(body.length, got.size(), "cut off after " + got.size() + " bytes");
      assertTrue(System.nanoTime() - start > 5_000_000_000L, "download was not slow");
      org.junit.jupiter.api.Assertions.assertArrayEquals(body, got.toByteArray());
    }
  }

  private String metric() {
    StringBuilder b = new StringBuilder();
    f.metrics.writeText(b);
    return b.toString();
  }

  private long uploads(BlobMetrics.UploadOutcome o) {
    StringBuilder b = new StringBuilder();
    f.metrics.writeText(b);
    String key =
        "tafel_blob_uploads_total{api=\"blobs\",outcome=\"" + o.name().toLowerCase() + "\"} ";
    int i = b.indexOf(key);
    return i < 0 ? 0 : Long.parseLong(b.substring(i + key.length(), b.indexOf("\n", i)));
  }

  /** The temporary file is removed on an I/O thread right after the refusal. */
  private void awaitNoFiles() throws InterruptedException {
    for (int i = 0; i < 100 && !f.files().isEmpty(); i++) {
      Thread.sleep(20);
    }
    assertEquals(List.of(), f.files(), "nothing on disk");
  }
}
