package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.token.Pseudonyms;
import org.tafel.protocol.token.UploadToken;
import org.tafel.protocol.token.UploadTokens;
import org.tafel.server.config.GeneratedSecrets;
import org.tafel.server.testing.ServerProcess;

/** {@code tafel serve} runs the blob store; {@code tafel admin upload-token} mints its tokens. */
class ServeBlobEndToEndTest {
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  final HttpClient http = HttpClient.newHttpClient();

  static String uploadToken(Path data, String... flags) {
    List<String> args =
        new java.util.ArrayList<>(List.of("admin", "upload-token", "--data", data.toString()));
    args.addAll(List.of(flags));
    try (ServerProcess p = ServerProcess.launch(args)) {
      assertEquals(0, p.awaitExit(EXIT_TIMEOUT), p.output());
      String out = p.stdout();
      assertTrue(out.matches("ut1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n"), "only the token: " + out);
      return out.trim();
    }
  }

  @Test
  void adminUploadTokenPrintsATokenTheServerAcceptsUpToItsCap(@TempDir Path data) throws Exception {
    String token = uploadToken(data, "--max-bytes", "1000", "--sub", "teacher-7");
    UploadToken claims =
        new UploadTokens(
                new GeneratedSecrets(data, new SecureRandom())
                    .keyRing(GeneratedSecrets.UPLOAD_TOKEN_KEY),
                Clock.systemUTC())
            .verify(token);
    assertEquals(1000, claims.cap());
    byte[] key =
        new GeneratedSecrets(data, new SecureRandom())
            .loadOrCreate(GeneratedSecrets.BLOB_PSEUDONYM_KEY)
            .secret()
            .value();
    assertEquals(new Pseudonyms(Pseudonyms.BLOB, key).constant("teacher-7"), claims.sub());

    try (ServerProcess server = ServerProcess.start(data, "--only", "blob")) {
      assertTrue(server.awaitReady(EXIT_TIMEOUT).matches("tafel ready admin=\\d+ blob=\\d+"));
      int port = server.blobPort();
      byte[] body = new byte[1000];
      new SecureRandom().nextBytes(body);
      HttpResponse<String> created = post(port, token, body);
      assertEquals(201, created.statusCode(), created.body());
      String id = created.body().replaceAll(".*\"id\":\"([0-9a-f]{32})\".*", "$1");
      HttpResponse<byte[]> got =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/blobs/" + id))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertArrayEquals(body, got.body());
      assertEquals(413, post(port, token, new byte[1001]).statusCode());

      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.adminPort() + "/readyz"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(!server.stderr().contains(id), "no blob ID in the log");
    }
  }

  @Test
  void blobMaxBytesFlagRaisesTheLimit(@TempDir Path data) throws Exception {
    String token = uploadToken(data, "--max-bytes", "200000000");
    try (ServerProcess server =
        ServerProcess.start(data, "--only", "blob", "--blob-max-bytes", "150000000")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.blobPort() + "/v1/uploads"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("150000000", r.headers().firstValue("Tus-Max-Size").orElseThrow());
      assertTrue(token.startsWith("ut1."));
    }
  }

  @Test
  void unknownAdminSubcommandExitsWith2(@TempDir Path data) {
    // --data: the admin command opens the data directory's store before it looks at the
    // subcommand, so without it the test would leave ./data/signaling.db in the source tree
    try (ServerProcess p =
        ServerProcess.launch(List.of("admin", "nope", "--data", data.toString()))) {
      assertEquals(Main.EXIT_USAGE, p.awaitExit(EXIT_TIMEOUT), p.output());
    }
    try (ServerProcess p =
        ServerProcess.launch(List.of("admin", "upload-token", "--max-bytes", "0"))) {
      assertEquals(Main.EXIT_USAGE, p.awaitExit(EXIT_TIMEOUT), p.output());
      assertTrue(p.stderr().contains("--max-bytes: '0' (expected: 1.."), p.output());
    }
  }

  HttpResponse<String> post(int port, String token, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/blobs"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
