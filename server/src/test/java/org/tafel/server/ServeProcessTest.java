package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.server.testing.ServerProcess;

/** {@code tafel serve} as a real child process: ready line, health, ports file, exit codes. */
class ServeProcessTest {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void relayStartsReportsHealthyAndStopsWhenStdinCloses(@TempDir Path data) throws Exception {
    try (ServerProcess server = ServerProcess.start(data, "--only", "relay")) {
      int admin = server.adminPort();
      assertTrue(server.turnPort() > 0, server.output());
      assertEquals(200, get(admin, "/healthz").statusCode(), server.output());
      String ports = Files.readString(data.resolve("run/ports.json"));
      assertTrue(ports.contains("\"admin\":" + admin), ports);
      assertTrue(ports.contains("\"turn\":" + server.turnPort()), ports);
      assertTrue(Files.exists(data.resolve("secrets/turn-secret")));
      String secret = Files.readString(data.resolve("secrets/turn-secret")).strip();

      server.closeStdin();
      assertEquals(0, server.awaitExit(EXIT_TIMEOUT), server.output());
      assertTrue(server.stderr().contains("stopped"), server.output());
      assertFalse(server.output().contains(secret), "the secret never reaches the log");
      assertFalse(Files.exists(data.resolve("run/ports.json")), "removed on stop");
    }
  }

  @Test
  void sigtermStopsCleanly(@TempDir Path data) {
    try (ServerProcess server = ServerProcess.start(data, "--only", "relay")) {
      server.terminate();
      assertEquals(143, server.awaitExit(EXIT_TIMEOUT), server.output());
      assertTrue(server.stderr().contains("stopped"), server.output());
    }
  }

  @Test
  void signalingAloneStartsBesideAdminAndAnswersHealthy(@TempDir Path data) throws Exception {
    try (ServerProcess server = ServerProcess.start(data, "--only", "signaling")) {
      assertEquals(List.of("admin", "signaling"), List.copyOf(server.ports().keySet()));
      assertTrue(Files.exists(data.resolve("signaling.db")), server.output());
      assertTrue(Files.exists(data.resolve("secrets/signaling-server-key")), server.output());
      assertEquals(200, get(server.adminPort(), "/healthz").statusCode());
      HttpResponse<String> metrics = get(server.adminPort(), "/metrics");
      assertTrue(metrics.body().contains("tafel_jvm_heap_used_bytes"), metrics.body());
    }
  }

  @Test
  void turnPortInUseStopsTheStartNamingTheKey(@TempDir Path data) throws Exception {
    try (DatagramSocket taken =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = taken.getLocalPort();
      ServerProcess server =
          ServerProcess.launch(
              List.of(
                  "serve",
                  "--data",
                  data.toString(),
                  "--turn-port",
                  String.valueOf(port),
                  "--turns-port",
                  "0",
                  "--admin-port",
                  "0"));
      try (server) {
        assertEquals(Main.EXIT_START_FAILED, server.awaitExit(EXIT_TIMEOUT), server.output());
        assertTrue(
            server.stderr().contains("relay.turn-port: " + port + " is in use"), server.output());
        assertFalse(server.stdout().contains("tafel ready"));
      }
    }
  }

  @Test
  void adminPortInUseStopsTheStartNamingTheKey(@TempDir Path data) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      try (ServerProcess server =
          ServerProcess.launch(
              List.of(
                  "serve",
                  "--data",
                  data.toString(),
                  "--only",
                  "blob",
                  "--admin-port",
                  "" + port))) {
        assertEquals(Main.EXIT_START_FAILED, server.awaitExit(EXIT_TIMEOUT), server.output());
        assertTrue(server.stderr().contains("admin.port: " + port + " is in use"), server.output());
      }
    }
  }

  @Test
  void badFlagExitsWith2AndSaysWhy(@TempDir Path data) {
    try (ServerProcess server =
        ServerProcess.launch(List.of("serve", "--data", data.toString(), "--turn-port", "70000"))) {
      assertEquals(Main.EXIT_USAGE, server.awaitExit(EXIT_TIMEOUT), server.output());
      assertEquals("tafel: relay.turn-port: 70000 (expected: 0..65535)\n", server.stderr());
    }
    try (ServerProcess server = ServerProcess.launch(List.of("serve", "--nope"))) {
      assertEquals(Main.EXIT_USAGE, server.awaitExit(EXIT_TIMEOUT), server.output());
      assertTrue(server.stderr().contains("unknown flag --nope"), server.output());
    }
    try (ServerProcess server = ServerProcess.launch(List.of("frobnicate"))) {
      assertNotEquals(0, server.awaitExit(EXIT_TIMEOUT));
    }
  }
}
