package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

@ExtendWith(NettyLeakDetectorExtension.class)
class BlobApiTest {
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
  void uploadAnswers201WithIdSizeExpiryAndDeleteTokenAndServesTheBytes() {
    byte[] body = BlobFixture.random(200_000);
    HttpResponse<byte[]> created = f.upload(body);
    assertEquals(201, created.statusCode(), new String(created.body()));
    String json = new String(created.body());
    String id = BlobFixture.id(created);
    assertTrue(json.contains("\"size\":200000"), json);
    assertTrue(
        json.contains("\"expiresAt\":\"" + f.clock.instant().plus(Duration.ofDays(14)) + "\""),
        json);
    assertEquals(22, BlobFixture.deleteToken(created).length());
    assertEquals("/v1/blobs/" + id, created.headers().firstValue("Location").orElseThrow());

    HttpResponse<byte[]> got = f.send(f.request("/v1/blobs/" + id));
    assertEquals(200, got.statusCode());
    assertArrayEquals(body, got.body());
    assertEquals("\"" + id + "\"", got.headers().firstValue("ETag").orElseThrow());
    assertEquals("bytes", got.headers().firstValue("Accept-Ranges").orElseThrow());
    assertTrue(
        got.headers()
            .firstValue("Access-Control-Expose-Headers")
            .orElseThrow()
            .contains("Tafel-Blob-Id"));
    assertEquals(1, f.server.storedBlobs());
    assertEquals(200_000, f.server.storedBytes());
  }

  @Test
  void headAnswersSizeWithoutBody() {
    String id = BlobFixture.id(f.upload(BlobFixture.random(1234)));
    HttpResponse<byte[]> head =
        f.send(f.request("/v1/blobs/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, head.statusCode());
    assertEquals("1234", head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(0, head.body().length);
  }

  @Test
  void rangeAnswers206WithContentRangeAnd416BeyondTheEnd() {
    byte[] body = BlobFixture.random(10_000);
    String id = BlobFixture.id(f.upload(body));
    HttpResponse<byte[]> part =
        f.send(f.request("/v1/blobs/" + id).header("Range", "bytes=100-199"));
    assertEquals(206, part.statusCode());
    assertEquals("bytes 100-199/10000", part.headers().firstValue("Content-Range").orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(body, 100, 200), part.body());

    HttpResponse<byte[]> open = f.send(f.request("/v1/blobs/" + id).header("Range", "bytes=9000-"));
    assertArrayEquals(Arrays.copyOfRange(body, 9000, 10_000), open.body());
    HttpResponse<byte[]> suffix = f.send(f.request("/v1/blobs/" + id).header("Range", "bytes=-10"));
    assertArrayEquals(Arrays.copyOfRange(body, 9990, 10_000), suffix.body());

    HttpResponse<byte[]> beyond =
        f.send(f.request("/v1/blobs/" + id).header("Range", "bytes=10000-10005"));
    assertEquals(416, beyond.statusCode());
    assertEquals("bytes */10000", beyond.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void ifNoneMatchWithTheEtagAnswers304() {
    String id = BlobFixture.id(f.upload(BlobFixture.random(100)));
    HttpResponse<byte[]> r =
        f.send(f.request("/v1/blobs/" + id).header("If-None-Match", "\"" + id + "\""));
    assertEquals(304, r.statusCode());
    assertEquals(0, r.body().length);
  }

  @Test
  void deleteWithTheDeleteTokenRemovesTheBlobAndAWrongTokenIsRefused() {
    HttpResponse<byte[]> created = f.upload(BlobFixture.random(500));
    String id = BlobFixture.id(created);
    HttpResponse<byte[]> wrong =
        f.send(
            f.request("/v1/blobs/" + id)
                .header("Authorization", "Bearer AAAAAAAAAAAAAAAAAAAAAA")
                .DELETE());
    assertEquals(403, wrong.statusCode());
    HttpResponse<byte[]> none = f.send(f.request("/v1/blobs/" + id).DELETE());
    assertEquals(401, none.statusCode());
    assertEquals(200, f.send(f.request("/v1/blobs/" + id)).statusCode());

    HttpResponse<byte[]> ok =
        f.send(
            f.request("/v1/blobs/" + id)
                .header("Authorization", "Bearer " + BlobFixture.deleteToken(created))
                .DELETE());
    assertEquals(204, ok.statusCode());
    assertEquals(404, f.send(f.request("/v1/blobs/" + id)).statusCode());
    assertEquals(0, f.files("data").size(), f.files().toString());
    assertEquals(0, f.server.storedBytes());
  }

  @Test
  void chunkedUploadWithoutContentLengthIsStored() {
    byte[] body = BlobFixture.random(3 * 1024 * 1024 + 17);
    HttpResponse<byte[]> created =
        f.send(
            f.request("/v1/blobs")
                .header("Authorization", "Bearer " + f.token())
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body))));
    assertEquals(201, created.statusCode(), new String(created.body()));
    assertArrayEquals(body, f.send(f.request("/v1/blobs/" + BlobFixture.id(created))).body());
  }

  @Test
  void expiryAndDownloadCountComeFromTheHeaders() {
    HttpResponse<byte[]> created =
        f.upload(BlobFixture.random(10), "Tafel-Expires-In", "3600", "Tafel-Downloads", "2");
    assertEquals(201, created.statusCode());
    Instant expected = f.clock.instant().plusSeconds(3600);
    assertTrue(new String(created.body()).contains("\"expiresAt\":\"" + expected + "\""));

    HttpResponse<byte[]> tooLong = f.upload(BlobFixture.random(10), "Tafel-Expires-In", "99999999");
    assertEquals(400, tooLong.statusCode());
    assertTrue(new String(tooLong.body()).contains("Tafel-Expires-In"));
    assertEquals(400, f.upload(BlobFixture.random(10), "Tafel-Downloads", "0").statusCode());
    assertEquals(400, f.upload(BlobFixture.random(10), "Tafel-Downloads", "x").statusCode());
  }

  @Test
  void corsPreflightAllowsTheTusAndTafelHeaders() {
    HttpResponse<byte[]> r =
        f.send(
            f.request("/v1/uploads")
                .header("Origin", "https://school.example")
                .header("Access-Control-Request-Method", "PATCH")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertEquals(204, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    String allowed = r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
    assertTrue(allowed.contains("Upload-Offset") && allowed.contains("Tus-Resumable"), allowed);
    String exposed = r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow();
    for (String h :
        new String[] {
          "Location",
          "Upload-Offset",
          "Upload-Length",
          "Tus-Resumable",
          "Tafel-Blob-Id",
          "Tafel-Delete-Token"
        }) {
      assertTrue(exposed.contains(h), h + " in " + exposed);
    }
    assertTrue(
        r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("PATCH"));
  }

  @Test
  void metricsCountOutcomesWithoutIdentifiers() {
    String id = BlobFixture.id(f.upload(BlobFixture.random(10)));
    f.send(f.request("/v1/blobs/" + id));
    f.send(f.request("/v1/blobs/00000000000000000000000000000000"));
    StringBuilder text = new StringBuilder();
    f.metrics.writeText(text);
    String m = text.toString();
    assertTrue(m.contains("tafel_blob_uploads_total{api=\"blobs\",outcome=\"created\"} 1"), m);
    assertTrue(m.contains("tafel_blob_downloads_total{outcome=\"full\"} 1"), m);
    assertTrue(m.contains("tafel_blob_downloads_total{outcome=\"not_found\"} 1"), m);
    assertTrue(m.contains("tafel_blob_stored_bytes 10"), m);
    assertTrue(m.contains("tafel_blob_stored_blobs 1"), m);
    assertTrue(!m.contains(id) && !m.contains("owner1"), m);
  }
}
