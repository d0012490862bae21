package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.blob.testing.RawHttp;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.protocol.token.KeyRing;
import org.tafel.protocol.token.UploadTokens;

/**
 * Must-show 6: each bad input gets its documented status (docs/blob-store.md), nothing is written,
 * and the server stays healthy.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class BadInputTest {
  @TempDir Path dir;
  BlobFixture f;

  @BeforeEach
  void start() throws IOException {
    Files.writeString(dir.resolve("secret.txt"), "outside the store");
    f = new BlobFixture(dir.resolve("blobs"));
  }

  @AfterEach
  void stop() {
    f.close();
    // every test leaves the server healthy: a good upload still works
  }

  private void assertHealthyAndNothingWritten() {
    assertEquals(List.of(), f.files(), "nothing written");
    HttpResponse<byte[]> ok = f.upload(BlobFixture.random(10));
    assertEquals(201, ok.statusCode());
  }

  private String rawGet(String path) throws IOException {
    try (RawHttp c = new RawHttp(f.port())) {
      c.write("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
      return c.readHead();
    }
  }

  @Test
  void malformedBlobIdsAnswer404LikeUnknownOnes() throws IOException {
    String id = "0123456789abcdef0123456789abcdef";
    for (String path :
        List.of(
            "/v1/blobs/../secret.txt",
            "/v1/blobs/..%2fsecret.txt",
            "/v1/blobs/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/v1/blobs/../../blobs/data",
            "/v1/blobs/" + id.substring(1),
            "/v1/blobs/" + id + "0",
            "/v1/blobs/" + id.toUpperCase(),
            "/v1/blobs/0123456789abcdef0123456789abcdeg",
            "/v1/blobs/" + id + "/",
            "/v1/blobs/" + id + "%00",
            "/v1/blobs//" + id,
            "/v1/blobs/" + id + "/../" + id,
            "/v1/uploads/../blobs/" + id,
            "/v1/blobs/x/done")) {
      String head = rawGet(path);
      assertEquals(404, RawHttp.status(head), path + " -> " + head);
    }
    // the same IDs with the methods that change state
    for (String request :
        List.of(
            "DELETE /v1/blobs/../secret.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n",
            "DELETE /v1/blobs/"
                + id.toUpperCase()
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n",
            "POST /v1/blobs/../secret.txt/done HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n",
            "POST /v1/blobs/" + id + "0/done HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n",
            "PATCH /v1/uploads/../blobs/"
                + id
                + " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
                + "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
                + "Content-Length: 0\r\n",
            "HEAD /v1/uploads/%2e%2e%2fsecret HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n")) {
      try (RawHttp c = new RawHttp(f.port())) {
        c.write(request + "\r\n");
        String head = c.readHead();
        assertEquals(404, RawHttp.status(head), request + " -> " + head);
      }
    }
    assertHealthyAndNothingWritten();
  }

  @Test
  void missingForgedExpiredAndForeignTokensAnswer401() throws Exception {
    byte[] body = BlobFixture.random(100);
    String good = f.token();
    String forged = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");
    String foreign =
        new UploadTokens(
                KeyRing.of("test1", "another key, 32 bytes long......".getBytes()), f.clock)
            .issue("owner1", 1 << 20, Duration.ofMinutes(5));
    String expired = f.tokens.issue("owner1", 1 << 20, Duration.ofSeconds(30));
    f.clock.advance(Duration.ofSeconds(31));
    for (String auth :
        new String[] {
          null,
          "Bearer ",
          "Bearer nonsense",
          "Basic dXNlcjpwYXNz",
          "Bearer " + forged,
          "Bearer " + foreign,
          "Bearer " + expired
        }) {
      HttpRequest.Builder b =
          f.request("/v1/blobs").POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (auth != null) {
        b.header("Authorization", auth);
      }
      HttpResponse<byte[]> r = f.send(b);
      assertEquals(401, r.statusCode(), auth);
      assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElseThrow());
      // tus creation refuses the same tokens
      HttpRequest.Builder t =
          f.request("/v1/uploads")
              .header("Tus-Resumable", "1.0.0")
              .header("Upload-Length", "100")
              .POST(HttpRequest.BodyPublishers.noBody());
      if (auth != null) {
        t.header("Authorization", auth);
      }
      assertEquals(401, f.send(t).statusCode(), auth);
    }
    // on the same store: none of the refused uploads left a file, and a good one still works
    assertHealthyAndNothingWritten();
  }

  @Test
  void wrongDeleteTokenAnswers403AndLeavesTheBlob() {
    HttpResponse<byte[]> created = f.upload(BlobFixture.random(50));
    String id = BlobFixture.id(created);
    List<String> before = f.files();
    for (String token :
        new String[] {
          "AAAAAAAAAAAAAAAAAAAAAA", f.token(), BlobFixture.deleteToken(created) + "x"
        }) {
      HttpResponse<byte[]> r =
          f.send(f.request("/v1/blobs/" + id).header("Authorization", "Bearer " + token).DELETE());
      assertEquals(403, r.statusCode());
    }
    assertEquals(before, f.files());
    assertEquals(200, f.send(f.request("/v1/blobs/" + id)).statusCode());
  }

  private String createUpload(long length) {
    HttpResponse<byte[]> r =
        f.send(
            f.request("/v1/uploads")
                .header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + f.token())
                .header("Upload-Length", Long.toString(length))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(201, r.statusCode());
    return r.headers().firstValue("Location").orElseThrow();
  }

  private HttpResponse<byte[]> patch(String location, long offset, byte[] b, String... headers) {
    HttpRequest.Builder req =
        f.request(location)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", Long.toString(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(b));
    if (headers.length > 0) {
      req.headers(headers);
    }
    return f.send(req);
  }

  private long partSize(String location) throws IOException {
    String id = location.substring(location.lastIndexOf('/') + 1);
    return Files.size(f.dir.resolve("uploads").resolve(id + ".part"));
  }

  private String offset(String location) {
    return f.send(
            f.request(location)
                .header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()))
        .headers()
        .firstValue("Upload-Offset")
        .orElseThrow();
  }

  @Test
  void checksumMismatchAnswers460AndDiscardsTheChunk() throws Exception {
    String location = createUpload(1000);
    byte[] good = BlobFixture.random(300);
    assertEquals(204, patch(location, 0, good).statusCode());
    byte[] chunk = BlobFixture.random(400);
    byte[] other = BlobFixture.random(400);
    String wrong =
        "sha256 "
            + Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(other));
    HttpResponse<byte[]> r = patch(location, 300, chunk, "Upload-Checksum", wrong);
    assertEquals(460, r.statusCode(), new String(r.body()));
    assertEquals("300", offset(location));
    assertEquals(300, partSize(location), "chunk discarded");
    String sha1 =
        "sha1 "
            + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(other));
    assertEquals(460, patch(location, 300, chunk, "Upload-Checksum", sha1).statusCode());
    assertEquals(400, patch(location, 300, chunk, "Upload-Checksum", "md5 AAAA").statusCode());
    assertEquals(300, partSize(location));
    // the right chunk afterwards is accepted
    assertEquals(204, patch(location, 300, chunk).statusCode());
    assertEquals("700", offset(location));
    assertEquals(List.of(), f.files("data"), "no blob yet");
  }

  /**
   * A client that got its answer sends the next PATCH at once: the upload must already be unlocked
   * then (423 here once came from a reply sent before the unlock).
   */
  @Test
  void theNextPatchRightAfterAnAnswerIsNeverLocked() throws Exception {
    int chunks = 300;
    String location = createUpload(chunks * 10L);
    for (int i = 0; i < chunks; i++) {
      HttpResponse<byte[]> r = patch(location, i * 10L, BlobFixture.random(10));
      assertEquals(204, r.statusCode(), "chunk " + i + ": " + new String(r.body()));
    }
    assertEquals(String.valueOf(chunks * 10), offset(location));
  }

  @Test
  void offsetMismatchAnswers409AndWritesNothing() throws Exception {
    String location = createUpload(1000);
    assertEquals(204, patch(location, 0, BlobFixture.random(100)).statusCode());
    for (long wrongOffset : new long[] {0, 50, 101, 2000}) {
      HttpResponse<byte[]> r = patch(location, wrongOffset, BlobFixture.random(10));
      assertEquals(409, r.statusCode(), "offset " + wrongOffset);
      assertEquals("100", r.headers().firstValue("Upload-Offset").orElseThrow());
    }
    assertEquals(100, partSize(location));
    assertEquals(400, patch(location, -1, BlobFixture.random(10)).statusCode());
  }

  @Test
  void tusProtocolErrorsGetTheirStatuses() throws Exception {
    String location = createUpload(100);
    // wrong or missing Tus-Resumable: 412 with Tus-Version
    HttpResponse<byte[]> r412 =
        f.send(
            f.request(location)
                .header("Tus-Resumable", "0.2.2")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(412, r412.statusCode());
    assertEquals("1.0.0", r412.headers().firstValue("Tus-Version").orElseThrow());
    // wrong content type: 415
    HttpResponse<byte[]> r415 =
        f.send(
            f.request(location)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])));
    assertEquals(415, r415.statusCode());
    // more than Upload-Length: 413, nothing kept
    assertEquals(413, patch(location, 0, BlobFixture.random(101)).statusCode());
    assertEquals(0, partSize(location));
    // Upload-Length over the limit or malformed, deferred length: refused at creation
    HttpRequest.Builder big =
        f.request("/v1/uploads")
            .header("Tus-Resumable", "1.0.0")
            .header("Authorization", "Bearer " + f.token())
            .header("Upload-Length", Long.toString(100L * 1024 * 1024 + 1))
            .POST(HttpRequest.BodyPublishers.noBody());
    assertEquals(413, f.send(big).statusCode());
    for (String[] h :
        new String[][] {
          {"Upload-Length", "-5"},
          {"Upload-Length", "abc"},
          {"Upload-Defer-Length", "1"},
          {"Upload-Metadata", "tafel-downloads !!!"},
          {"Upload-Metadata", "a,a"}
        }) {
      HttpRequest.Builder b =
          f.request("/v1/uploads")
              .header("Tus-Resumable", "1.0.0")
              .header("Authorization", "Bearer " + f.token())
              .POST(HttpRequest.BodyPublishers.noBody());
      b.header(h[0], h[1]);
      if (!h[0].equals("Upload-Length")) {
        b.header("Upload-Length", "10");
      }
      assertEquals(400, f.send(b).statusCode(), h[0] + ": " + h[1]);
    }
    // unknown upload: 404
    HttpResponse<byte[]> unknown = patch("/v1/uploads/" + "f".repeat(32), 0, new byte[1]);
    assertEquals(404, unknown.statusCode());
    assertEquals(0, partSize(location));
    assertEquals(List.of(), f.files("data"));
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws IOException {
    assertEquals(404, RawHttp.status(rawGet("/")));
    assertEquals(404, RawHttp.status(rawGet("/v1/blobsx")));
    HttpResponse<byte[]> put =
        f.send(
            f.request("/v1/blobs/" + "a".repeat(32))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[3])));
    assertEquals(405, put.statusCode());
    try (RawHttp c = new RawHttp(f.port())) {
      c.write("this is not http\r\n\r\n");
      assertEquals(400, RawHttp.status(c.readHead()));
    }
    assertHealthyAndNothingWritten();
  }

  @Test
  void expiredBlobAndUnknownBlobAreIndistinguishable() {
    String id = BlobFixture.id(f.upload(BlobFixture.random(10), "Tafel-Expires-In", "1"));
    f.clock.advance(Duration.ofSeconds(1));
    HttpResponse<byte[]> a = f.send(f.request("/v1/blobs/" + id));
    HttpResponse<byte[]> b = f.send(f.request("/v1/blobs/" + "1".repeat(32)));
    assertEquals(a.statusCode(), b.statusCode());
    assertArrayEquals(a.body(), b.body());
    assertEquals(a.headers().map().keySet(), b.headers().map().keySet());
  }
}
