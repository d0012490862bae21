package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.Handshake;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.server.testing.ByteScan;
import org.tafel.server.testing.ServerProcess;
import org.tafel.signaling.testing.WsClient;

/**
 * Must-show 6: a plaintext canary sealed inside envelopes appears nowhere in the data directory
 * (SQLite file, WAL and shared memory included), the server's logs, {@code /metrics} or its heap (a
 * {@code jcmd GC.heap_dump -all}). The clients seal with AES-256-GCM under an X25519-derived key,
 * standing in for the SDK's crypto_box until it exists; the server sees only ciphertext either way.
 */
class SignalingPrivacyTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CANARY = "CANARY-Klassenarbeit-Mathe-7b-" + RANDOM.nextInt(1 << 30);

  @TempDir Path data;

  private static byte[] seal(byte[] key, byte[] nonce, String text) throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, nonce, 0, 12));
    return c.doFinal(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String open(byte[] key, byte[] nonce, byte[] box) throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, nonce, 0, 12));
    return new String(c.doFinal(box), StandardCharsets.UTF_8);
  }

  private static final java.util.Map<String, byte[]> NEEDLES = ByteScan.needles(CANARY);

  @Test
  void canarySealedInEnvelopesIsNowhereInDataLogsOrMetrics() throws Exception {
    X25519.KeyPair aliceKey = X25519.generate(RANDOM);
    X25519.KeyPair bobKey = X25519.generate(RANDOM);
    byte[] shared = Handshake.hkdf(X25519.agree(aliceKey.secret(), bobKey.publicKey()), "test-e2e");
    String metrics;
    String alice;
    String bob;
    byte[] queuedBox;
    try (ServerProcess server =
        ServerProcess.start(
            data, "--only", "signaling", "--registration", "open", "--pow-bits", "4")) {
      URI uri = URI.create("ws://127.0.0.1:" + server.signalingPort() + "/v1/ws");
      try (WsClient b = WsClient.connect(uri)) {
        bob = b.register(bobKey, null);
      }
      try (WsClient a = WsClient.connect(uri)) {
        alice = a.register(aliceKey, null);
        byte[] box = null;
        for (int i = 0; i < 20; i++) {
          byte[] nonce = new byte[24];
          RANDOM.nextBytes(nonce);
          box = seal(shared, nonce, CANARY + " #" + i);
          byte[] id = new byte[16];
          RANDOM.nextBytes(id);
          a.send(
              new ClientFrame.Send(
                  "" + i,
                  id,
                  List.of(new ClientFrame.Recipient(bob, nonce, box)),
                  i % 2 == 0 ? QueueClass.NORMAL : QueueClass.SHORT,
                  null));
          a.expect(ServerFrame.Sent.class);
        }
        queuedBox = box;
      }
      // the scan does read the store: the ciphertext of a queued envelope is found there
      assertFalse(
          ByteScan.filesContaining(data, queuedBox).isEmpty(), "queued ciphertext is on disk");
      assertEquals(
          java.util.Map.of(),
          ByteScan.filesContaining(data, NEEDLES),
          "canary in the data directory");
      try (WsClient b = WsClient.connect(uri)) {
        b.login(bob, bobKey);
        for (int i = 0; i < 20; i++) {
          ServerFrame.Deliver d = b.expect(ServerFrame.Deliver.class);
          assertTrue(open(shared, d.nonce(), d.box()).startsWith(CANARY), "the canary travelled");
          b.send(new ClientFrame.Ack(null, d.messageId(), null));
          b.expect(ServerFrame.Acked.class);
        }
      }
      metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(metrics.contains("tafel_signaling_envelopes_in_total 20"), metrics);
      assertEquals(
          java.util.Map.of(),
          ByteScan.filesContaining(data, NEEDLES),
          "canary in the running store");
      // the server's memory: a heap dump including unreachable objects (DESIGN.md §9)
      Path dump = data.getParent().resolve("signaling-heap-" + server.pid() + ".hprof");
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  "" + server.pid(),
                  "GC.heap_dump",
                  "-all",
                  dump.toString())
              .redirectErrorStream(true)
              .start();
      String jcmdOut = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, jcmd.waitFor(), jcmdOut);
      try {
        // the scan finds what the server does hold: the identity IDs it routes by
        assertEquals(
            List.of("bob"),
            ByteScan.find(dump, java.util.Map.of("bob", bob.getBytes(StandardCharsets.US_ASCII))),
            "scan works");
        assertEquals(List.of(), ByteScan.find(dump, NEEDLES), "canary in the server's heap");
      } finally {
        Files.deleteIfExists(dump);
      }
      server.closeStdin();
      assertEquals(0, server.awaitExit(Duration.ofSeconds(30)), server.output());
      String logs = server.stdout() + server.stderr();
      for (String forbidden : List.of(CANARY, alice, bob)) {
        assertFalse(logs.contains(forbidden), "'" + forbidden + "' in the logs:\n" + logs);
        assertFalse(metrics.contains(forbidden), "'" + forbidden + "' in /metrics");
      }
    }
    assertEquals(
        java.util.Map.of(),
        ByteScan.filesContaining(data, NEEDLES),
        "canary in the data directory");
  }
}
