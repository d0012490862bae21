package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/** tus 1.0.0 core and the extensions this server announces. */
@ExtendWith(NettyLeakDetectorExtension.class)
class TusTest {
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

  HttpResponse<byte[]> create(long length, String... headers) {
    HttpRequest.Builder b =
        f.request("/v1/uploads")
            .header("Tus-Resumable", "1.0.0")
            .header("Authorization", "Bearer " + f.token())
            .header("Upload-Length", Long.toString(length))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return f.send(b);
  }

  HttpResponse<byte[]> patch(String location, long offset, byte[] chunk, String... headers) {
    HttpRequest.Builder b =
        f.request(location)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", Long.toString(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return f.send(b);
  }

  HttpResponse<byte[]> head(String location) {
    return f.send(
        f.request(location)
            .header("Tus-Resumable", "1.0.0")
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  static String h(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  static String checksum(String algorithm, byte[] b) throws Exception {
    return algorithm
        + " "
        + Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "SHA-256")
                    .digest(b));
  }

  @Test
  void optionsAnnouncesVersionExtensionsMaxSizeAndChecksums() {
    HttpResponse<byte[]> r =
        f.send(f.request("/v1/uploads").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertEquals(204, r.statusCode());
    assertEquals("1.0.0", h(r, "Tus-Version"));
    assertEquals(
        "creation,creation-with-upload,expiration,termination,checksum", h(r, "Tus-Extension"));
    assertEquals(Long.toString(100L * 1024 * 1024), h(r, "Tus-Max-Size"));
    assertEquals("sha1,sha256", h(r, "Tus-Checksum-Algorithm"));
  }

  @Test
  void uploadInChunksWithChecksumsYieldsABlobWhoseIdAndDeleteTokenLaterHeadsRepeat()
      throws Exception {
    byte[] data = BlobFixture.random(300_000);
    HttpResponse<byte[]> created =
        create(data.length, "Upload-Metadata", "tafel-downloads " + b64("2"));
    assertEquals(201, created.statusCode(), new String(created.body()));
    String location = h(created, "Location");
    assertTrue(location.matches("/v1/uploads/[0-9a-f]{32}"), location);
    assertTrue(h(created, "Upload-Expires").endsWith("GMT"));

    byte[] first = Arrays.copyOfRange(data, 0, 100_000);
    HttpResponse<byte[]> p1 = patch(location, 0, first, "Upload-Checksum", checksum("sha1", first));
    assertEquals(204, p1.statusCode(), new String(p1.body()));
    assertEquals("100000", h(p1, "Upload-Offset"));
    assertEquals(null, h(p1, "Tafel-Blob-Id"));
    assertEquals("100000", h(head(location), "Upload-Offset"));

    byte[] rest = Arrays.copyOfRange(data, 100_000, data.length);
    HttpResponse<byte[]> p2 =
        patch(location, 100_000, rest, "Upload-Checksum", checksum("sha256", rest));
    assertEquals(204, p2.statusCode());
    assertEquals("300000", h(p2, "Upload-Offset"));
    String blobId = h(p2, "Tafel-Blob-Id");
    String deleteToken = h(p2, "Tafel-Delete-Token");
    assertTrue(blobId.matches("[0-9a-f]{32}"), blobId);
    assertNotEquals(location.substring(location.lastIndexOf('/') + 1), blobId);

    StringBuilder m = new StringBuilder();
    f.metrics.writeText(m);
    assertTrue(
        m.toString().contains("tafel_blob_uploads_total{api=\"tus\",outcome=\"started\"} 1"),
        m.toString());
    assertTrue(
        m.toString().contains("tafel_blob_uploads_total{api=\"tus\",outcome=\"chunk\"} 1"),
        m.toString());
    assertTrue(
        m.toString().contains("tafel_blob_uploads_total{api=\"tus\",outcome=\"created\"} 1"),
        m.toString());

    HttpResponse<byte[]> later = head(location);
    assertEquals(200, later.statusCode());
    assertEquals(blobId, h(later, "Tafel-Blob-Id"));
    assertEquals(deleteToken, h(later, "Tafel-Delete-Token"));
    assertEquals("no-store", h(later, "Cache-Control"));

    assertArrayEquals(data, f.send(f.request("/v1/blobs/" + blobId)).body());
    // the download count from Upload-Metadata applies
    for (int i = 0; i < 2; i++) {
      f.send(f.request("/v1/blobs/" + blobId + "/done").POST(HttpRequest.BodyPublishers.noBody()));
    }
    assertEquals(404, f.send(f.request("/v1/blobs/" + blobId)).statusCode());
  }

  @Test
  void uploadStateFileIsPrivateAndHoldsTheDeleteToken() throws Exception {
    byte[] data = BlobFixture.random(10);
    String location = h(create(data.length), "Location");
    HttpResponse<byte[]> done = patch(location, 0, data);
    String uploadId = location.substring(location.lastIndexOf('/') + 1);
    Path state = dir.resolve("uploads").resolve(uploadId + ".json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    assertTrue(Files.readString(state).contains(h(done, "Tafel-Delete-Token")));
  }

  @Test
  void creationWithUploadStoresTheFirstChunk() {
    byte[] data = BlobFixture.random(5000);
    HttpResponse<byte[]> r =
        f.send(
            f.request("/v1/uploads")
                .header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + f.token())
                .header("Upload-Length", "5000")
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(data, 2000))));
    assertEquals(201, r.statusCode(), new String(r.body()));
    assertEquals("2000", h(r, "Upload-Offset"));
    String location = h(r, "Location");
    HttpResponse<byte[]> p = patch(location, 2000, Arrays.copyOfRange(data, 2000, 5000));
    assertEquals(204, p.statusCode());
    assertArrayEquals(data, f.send(f.request("/v1/blobs/" + h(p, "Tafel-Blob-Id"))).body());
  }

  @Test
  void terminationRemovesTheUploadAndGivesBackItsQuota() {
    String location = h(create(1000), "Location");
    patch(location, 0, BlobFixture.random(400));
    HttpResponse<byte[]> del =
        f.send(f.request(location).header("Tus-Resumable", "1.0.0").DELETE());
    assertEquals(204, del.statusCode());
    assertEquals(404, head(location).statusCode());
    assertEquals(0, f.files("uploads").size(), f.files().toString());
  }

  @Test
  void abandonedUploadExpiresAndIsSwept() throws Exception {
    String location = h(create(1000), "Location");
    patch(location, 0, BlobFixture.random(400));
    f.clock.advance(Duration.ofHours(24));
    assertEquals(404, head(location).statusCode());
    assertEquals(2, f.files("uploads").size());
    assertEquals(1, f.server.sweepNow().uploads());
    assertEquals(0, f.files("uploads").size());
  }

  @Test
  void uploadResumesAfterARestartAtTheCommittedOffset() {
    byte[] data = BlobFixture.random(1000);
    String location = h(create(data.length), "Location");
    patch(location, 0, Arrays.copyOf(data, 600));
    f.close();
    f = new BlobFixture(dir, BlobConfig.Limits.defaults(), f.clock);
    assertEquals("600", h(head(location), "Upload-Offset"));
    HttpResponse<byte[]> p = patch(location, 600, Arrays.copyOfRange(data, 600, 1000));
    assertEquals(204, p.statusCode());
    assertArrayEquals(data, f.send(f.request("/v1/blobs/" + h(p, "Tafel-Blob-Id"))).body());
  }

  @Test
  void expiresInFromMetadataSetsTheBlobsExpiry() {
    byte[] data = BlobFixture.random(10);
    String location =
        h(create(data.length, "Upload-Metadata", "Tafel-Expires-In " + b64("120")), "Location");
    String blob = h(patch(location, 0, data), "Tafel-Blob-Id");
    assertEquals(
        "tafel-expires-in " + b64("120"),
        h(head(location), "Upload-Metadata")
            .toLowerCase()
            .replace(b64("120").toLowerCase(), b64("120")));
    f.clock.advance(Duration.ofSeconds(120));
    assertEquals(404, f.send(f.request("/v1/blobs/" + blob)).statusCode());
    // the upload record lives no longer than its blob
    assertEquals(404, head(location).statusCode());
  }

  @Test
  void patchCutOffMidBodyKeepsWhatArrivedUnlessItCarriedAChecksum() throws Exception {
    byte[] data = BlobFixture.random(1000);
    String location = h(create(data.length), "Location");
    cutOff(location, 0, data, 400, null);
    String offset = null;
    for (int i = 0; i < 100 && !"400".equals(offset); i++) {
      Thread.sleep(20); // the interrupted PATCH is settled on an I/O thread
      offset = h(head(location), "Upload-Offset");
    }
    assertEquals("400", offset, "bytes that arrived are kept");

    cutOff(
        location,
        400,
        java.util.Arrays.copyOfRange(data, 400, 1000),
        300,
        checksum("sha256", java.util.Arrays.copyOfRange(data, 400, 1000)));
    HttpResponse<byte[]> rest = null;
    for (int i = 0; i < 100; i++) {
      rest = patch(location, 400, java.util.Arrays.copyOfRange(data, 400, 1000));
      if (rest.statusCode() != 423) {
        break;
      }
      Thread.sleep(20);
    }
    assertEquals(204, rest.statusCode(), "unverifiable bytes were dropped; the offset stayed 400");
    assertArrayEquals(data, f.send(f.request("/v1/blobs/" + h(rest, "Tafel-Blob-Id"))).body());
  }

  /** Sends a PATCH head announcing all of {@code body} but only {@code sent} bytes, then closes. */
  void cutOff(String location, long offset, byte[] body, int sent, String checksum)
      throws Exception {
    try (org.tafel.blob.testing.RawHttp c = new org.tafel.blob.testing.RawHttp(f.port())) {
      c.write(
          "PATCH "
              + location
              + " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
              + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: "
              + offset
              + "\r\nContent-Length: "
              + body.length
              + "\r\n"
              + (checksum != null ? "Upload-Checksum: " + checksum + "\r\n" : "")
              + "\r\n");
      c.write(java.util.Arrays.copyOf(body, sent));
      Thread.sleep(100); // let the server receive them before the connection drops
    }
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
