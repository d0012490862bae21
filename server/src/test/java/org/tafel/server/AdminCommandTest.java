package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.X25519;
import org.tafel.server.testing.ServerProcess;
import org.tafel.signaling.testing.WsClient;

/** {@code tafel admin} as its own process, against the data directory of a running server. */
class AdminCommandTest {
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path data;

  private ServerProcess admin(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("admin"));
    command.addAll(List.of(args));
    command.addAll(List.of("--data", data.toString()));
    return ServerProcess.launch(command);
  }

  @Test
  void licenceAndIdentityCommandsWorkWhileTheServerRuns() {
    try (ServerProcess server =
        ServerProcess.start(data, "--only", "signaling", "--registration", "licence")) {
      URI uri = URI.create("ws://127.0.0.1:" + server.signalingPort() + "/v1/ws");
      ServerProcess create = admin("licence", "create", "--count", "3");
      assertEquals(0, create.awaitExit(EXIT), create.output());
      List<String> codes = create.stdout().lines().toList();
      assertEquals(3, codes.size());

      X25519.KeyPair key = X25519.generate(new SecureRandom());
      String id;
      try (WsClient c = WsClient.connect(uri)) {
        id = c.register(key, codes.get(0));
      }
      ServerProcess list = admin("licence", "list");
      assertEquals(0, list.awaitExit(EXIT), list.output());
      assertTrue(list.stdout().contains(codes.get(0) + " "), list.output());
      assertEquals(1, list.stdout().lines().filter(l -> l.contains("used=yes")).count());

      ServerProcess revokeCode = admin("licence", "revoke", codes.get(1));
      assertEquals(0, revokeCode.awaitExit(EXIT), revokeCode.output());
      try (WsClient c = WsClient.connect(uri)) {
        c.hello();
        c.send(c.registerFrame(X25519.generate(new SecureRandom()), codes.get(1)));
        c.expectError(ErrorCode.BAD_LICENCE);
      }

      ServerProcess revoke = admin("identity", "revoke", id);
      assertEquals(0, revoke.awaitExit(EXIT), revoke.output());
      try (WsClient c = WsClient.connect(uri)) {
        c.hello();
        c.send(c.loginFrame(id, key));
        c.expectError(ErrorCode.REVOKED);
      }
      ServerProcess again = admin("identity", "revoke", id);
      assertEquals(1, again.awaitExit(EXIT), again.output());
      ServerProcess bad = admin("licence", "create");
      assertEquals(Main.EXIT_USAGE, bad.awaitExit(EXIT), bad.output());
      assertTrue(bad.stderr().contains("expected --count N"), bad.output());
    }
  }

  @Test
  void unknownCommandIsAUsageErrorAndCreatesNoStore() {
    ServerProcess nope = admin("nope");
    assertEquals(Main.EXIT_USAGE, nope.awaitExit(EXIT), nope.output());
    assertTrue(nope.stderr().contains("unknown admin command 'nope'"), nope.output());
    assertFalse(
        java.nio.file.Files.exists(data.resolve("signaling.db")), "no store for a usage error");
  }
}
