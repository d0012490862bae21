package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.server.testing.ServerProcess;
import org.tafel.signaling.testing.WsClient;

/**
 * Must-show 2: a burst of 10,000 envelopes, {@code kill -9} of the server process mid-burst, a
 * restart on the same data: every envelope that got {@code sent} is delivered, in order, and the
 * receiving application (which deduplicates by message ID, as DESIGN.md §4 asks) sees each once.
 */
class SignalingCrashTest {
  private static final int BURST = 10_000;
  private static final int KILL_AFTER = 3_000;
  private static final int WINDOW = 400;
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path data;

  static List<String> licences(Path data, int n) {
    ServerProcess admin =
        ServerProcess.launch(
            List.of("admin", "licence", "create", "--count", "" + n, "--data", data.toString()));
    assertEquals(0, admin.awaitExit(Duration.ofSeconds(60)), admin.output());
    List<String> codes = admin.stdout().lines().toList();
    assertEquals(n, codes.size(), admin.output());
    return codes;
  }

  private static String[] flags() {
    return new String[] {
      "--only",
      "signaling",
      "--registration",
      "licence",
      "--send-rate",
      "1000000",
      "--send-burst",
      "1000000",
      "--queue-depth",
      "20000"
    };
  }

  private static URI uri(ServerProcess p) {
    return URI.create("ws://127.0.0.1:" + p.signalingPort() + "/v1/ws");
  }

  @Test
  void everyEnvelopeAnsweredSentSurvivesKill9AndIsSeenOnceInOrder() throws Exception {
    List<String> codes = licences(data, 2);
    X25519.KeyPair bobKey = X25519.generate(RANDOM);
    String bob;
    Set<String> sentIds = ConcurrentHashMap.newKeySet();
    List<String> attempted = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      byte[] id = new byte[16];
      RANDOM.nextBytes(id);
      ByteBuffer.wrap(id).putInt(i); // the index, to check order on delivery
      attempted.add(HexFormat.of().formatHex(id));
    }

    try (ServerProcess server = ServerProcess.start(data, flags())) {
      try (WsClient b = WsClient.connect(uri(server))) {
        bob = b.register(bobKey, codes.get(1));
      }
      WsClient a = WsClient.connect(uri(server));
      a.register(X25519.generate(RANDOM), codes.get(0));
      Semaphore window = new Semaphore(WINDOW);
      Thread sender =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < BURST; i++) {
                    if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                      return;
                    }
                    byte[] id = HexFormat.of().parseHex(attempted.get(i));
                    a.send(
                        new ClientFrame.Send(
                            null,
                            id,
                            List.of(
                                new ClientFrame.Recipient(
                                    bob, new byte[24], ("envelope " + i).getBytes())),
                            QueueClass.NORMAL,
                            null));
                  }
                } catch (RuntimeException | InterruptedException e) {
                  // the server died under us: expected
                }
              },
              "burst");
      sender.setDaemon(true);
      sender.start();
      while (sentIds.size() < KILL_AFTER) {
        sentIds.add(HexFormat.of().formatHex(a.expect(ServerFrame.Sent.class).messageId()));
        window.release();
      }
      Process p = server.process();
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no clean close of SQLite
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(128 + 9, p.exitValue(), "killed by signal 9 (SIGKILL)");
      for (ServerFrame f : a.drain(Duration.ofMillis(500))) {
        if (f instanceof ServerFrame.Sent s) {
          sentIds.add(HexFormat.of().formatHex(s.messageId()));
        }
      }
      sender.join(10_000);
      a.close();
      assertTrue(sentIds.size() < BURST, "killed mid-burst: " + sentIds.size() + " sent");
    }

    try (ServerProcess server = ServerProcess.start(data, flags());
        WsClient b = WsClient.connect(uri(server))) {
      b.login(bob, bobKey);
      Set<String> seen = new HashSet<>(); // the application's dedupe
      List<Integer> order = new ArrayList<>();
      int raw = 0;
      while (!seen.containsAll(sentIds)) {
        ServerFrame.Deliver d = b.expect(ServerFrame.Deliver.class);
        raw++;
        String hex = HexFormat.of().formatHex(d.messageId());
        if (seen.add(hex)) {
          order.add(ByteBuffer.wrap(d.messageId()).getInt());
        }
        b.send(new ClientFrame.Ack(null, d.messageId(), null));
      }
      for (ServerFrame f : b.drain(Duration.ofSeconds(1))) {
        if (f instanceof ServerFrame.Deliver d) {
          raw++;
          String hex = HexFormat.of().formatHex(d.messageId());
          if (seen.add(hex)) {
            order.add(ByteBuffer.wrap(d.messageId()).getInt());
          }
        }
      }
      assertTrue(seen.containsAll(sentIds));
      assertTrue(attempted.containsAll(seen), "only envelopes that were sent");
      for (int i = 1; i < order.size(); i++) {
        assertTrue(order.get(i) > order.get(i - 1), "send order kept at " + i);
      }
      System.out.printf(
          "crash test: %d answered sent before kill -9, %d delivered after restart (%d raw"
              + " deliveries)%n",
          sentIds.size(), seen.size(), raw);
    }
  }
}
