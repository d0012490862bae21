package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/** Must-show 4, on an injected clock: expiry on every read, the sweeper frees, counts remove. */
@ExtendWith(NettyLeakDetectorExtension.class)
class ExpiryTest {
  @TempDir Path dir;
  BlobFixture f;

  @BeforeEach
  void start() {
    f = new BlobFixture(dir);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void expiredBlobAnswers404AtOnceAndItsBytesAreGoneAfterTheNextSweep() throws Exception {
    String id = BlobFixture.id(f.upload(BlobFixture.random(5000), "Tafel-Expires-In", "60"));
    f.clock.advance(Duration.ofSeconds(59));
    assertEquals(200, f.send(f.request("/v1/blobs/" + id)).statusCode());

    f.clock.advance(Duration.ofSeconds(1));
    HttpResponse<byte[]> expired = f.send(f.request("/v1/blobs/" + id));
    assertEquals(404, expired.statusCode());
    HttpResponse<byte[]> unknown = f.send(f.request("/v1/blobs/" + "0".repeat(32)));
    assertEquals(unknown.statusCode(), expired.statusCode());
    assertArrayEquals(unknown.body(), expired.body(), "expired and unknown look alike");
    assertEquals(
        404,
        f.send(f.request("/v1/blobs/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()))
            .statusCode());
    assertEquals(
        404,
        f.send(f.request("/v1/blobs/" + id + "/done").POST(HttpRequest.BodyPublishers.noBody()))
            .statusCode());
    // Not yet swept: the bytes are still there, but never served.
    assertEquals(2, f.files("data").size(), f.files().toString());

    assertEquals(1, f.server.sweepNow().blobs());
    assertEquals(List.of(), f.files("data"));
    assertEquals(0, f.server.storedBytes());
    assertEquals(0, f.server.storedBlobs());
  }

  @Test
  void defaultExpiryIsFourteenDays() throws Exception {
    String id = BlobFixture.id(f.upload(BlobFixture.random(10)));
    f.clock.advance(Duration.ofDays(14).minusSeconds(1));
    assertEquals(200, f.send(f.request("/v1/blobs/" + id)).statusCode());
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(404, f.send(f.request("/v1/blobs/" + id)).statusCode());
    f.server.sweepNow();
    assertEquals(List.of(), f.files("data"));
  }

  @Test
  void blobWithDownloadCountThreeIsGoneAfterTheThirdDone() {
    String id = BlobFixture.id(f.upload(BlobFixture.random(700), "Tafel-Downloads", "3"));
    for (int i = 1; i <= 3; i++) {
      // GETs, resumed or repeated, do not count
      assertEquals(200, f.send(f.request("/v1/blobs/" + id)).statusCode());
      assertEquals(
          206, f.send(f.request("/v1/blobs/" + id).header("Range", "bytes=0-9")).statusCode());
      assertEquals(204, done(id), "done " + i);
    }
    assertEquals(404, f.send(f.request("/v1/blobs/" + id)).statusCode());
    assertEquals(404, done(id));
    assertEquals(List.of(), f.files("data"), "bytes removed with the last done");
    assertEquals(0, f.server.storedBytes());
  }

  @Test
  void downloadCountSurvivesARestart() {
    String id = BlobFixture.id(f.upload(BlobFixture.random(70), "Tafel-Downloads", "2"));
    assertEquals(204, done(id));
    f.close();
    f = new BlobFixture(dir, BlobConfig.Limits.defaults(), f.clock);
    assertEquals(200, f.send(f.request("/v1/blobs/" + id)).statusCode());
    assertEquals(204, done(id));
    assertEquals(404, f.send(f.request("/v1/blobs/" + id)).statusCode());
  }

  @Test
  void blobWithoutCountIsNotRemovedByDone() {
    String id = BlobFixture.id(f.upload(BlobFixture.random(70)));
    for (int i = 0; i < 5; i++) {
      assertEquals(204, done(id));
    }
    assertEquals(200, f.send(f.request("/v1/blobs/" + id)).statusCode());
  }

  private int done(String id) {
    return f.send(f.request("/v1/blobs/" + id + "/done").POST(HttpRequest.BodyPublishers.noBody()))
        .statusCode();
  }
}
