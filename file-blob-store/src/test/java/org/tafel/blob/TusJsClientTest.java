package org.tafel.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;

/**
 * Must-show 5: tus-js-client (npm, lockfile in src/test/js, run under the system's node) uploads a
 * file in chunks, is interrupted mid-PATCH, resumes from the URL it stored for the file's
 * fingerprint, and the stored blob matches byte for byte. Without node (or without {@code npm ci}
 * having run) this test fails; it never skips.
 */
class TusJsClientTest {
  static final Path JS = Path.of("src/test/js").toAbsolutePath();
  static final int SIZE = 3 * 1024 * 1024 + 1234;
  static final int CHUNK = 256 * 1024;

  @TempDir Path dir;
  BlobFixture f;

  @BeforeEach
  void start() {
    f = new BlobFixture(dir.resolve("blobs"));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void tusJsClientResumesAnInterruptedUploadAndTheBlobMatchesByteForByte() throws Exception {
    assertTrue(
        Files.isDirectory(JS.resolve("node_modules/tus-js-client")),
        "tus-js-client is not installed: run 'npm ci' in " + JS + " (./tafel test does)");
    byte[] data = BlobFixture.random(SIZE);
    Path file = dir.resolve("worksheet.bin");
    Files.write(file, data);
    List<String> command =
        new ArrayList<>(
            List.of(
                node(),
                JS.resolve("tus-resume.js").toString(),
                f.uri("/v1/uploads").toString(),
                f.token(),
                file.toString(),
                dir.resolve("tus-urls.json").toString(),
                Integer.toString(CHUNK),
                Integer.toString(SIZE / 2)));
    Process p =
        new ProcessBuilder(command)
            .directory(JS.toFile())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
    String stdout = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "node failed:\n" + stdout + err);

    System.out.println("tus-js-client: " + stdout.trim());
    JsonNode result = new ObjectMapper().readTree(stdout);
    assertEquals(
        result.get("firstUrl").asText(),
        result.get("resumedUrl").asText(),
        "resumed, not restarted");
    long seen = result.get("offsetSeenOnResume").asLong();
    assertTrue(seen > 0 && seen < SIZE, "resumed from the middle: " + stdout);
    assertTrue(result.get("abortedAt").asLong() >= SIZE / 2, stdout);
    String blobId = result.get("blobId").asText();
    assertTrue(blobId.matches("[0-9a-f]{32}"), stdout);

    HttpResponse<byte[]> got = f.send(f.request("/v1/blobs/" + blobId));
    assertEquals(200, got.statusCode());
    assertArrayEquals(data, got.body(), "stored blob differs from the file");
  }

  /** The system's node; a missing one fails the test. */
  static String node() throws IOException, InterruptedException {
    Process v = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, v.waitFor(), "node --version failed: " + version);
    return "node";
  }
}
