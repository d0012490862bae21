package org.tafel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.call.MediaKind;
import org.tafel.relay.RelayFixture;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.testing.SignalingFixture;

/**
 * Calls end to end: two {@link TafelClient}s, a real signaling server (with an injected clock) and
 * a real relay, both in-process on loopback. Answered, declined and missed.
 */
@Timeout(120)
class CallsTest {
  private final SecureRandom random = new SecureRandom();
  private final List<AutoCloseable> closeLater = new ArrayList<>();
  private RelayFixture relay;
  private SignalingFixture signaling;

  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
    closeLater.add(relay);
    byte[] pseudonymKey = new byte[32];
    random.nextBytes(pseudonymKey);
    String url = "turn:127.0.0.1:" + relay.port() + "?transport=udp";
    signaling =
        SignalingFixture.start(
            dir.resolve("server"),
            b ->
                b.relay(
                        List.of(url),
                        RelayFixture.SECRET.getBytes(StandardCharsets.UTF_8),
                        pseudonymKey)
                    // swept only when a test says so: an expired offer stays queued until then
                    .limits(
                        SignalingConfig.Limits.defaults().withExpirySweep(Duration.ofHours(1))));
    closeLater.add(signaling);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeLater.size() - 1; i >= 0; i--) {
      closeLater.get(i).close();
    }
  }

  private TafelClient client(String name) throws Exception {
    TafelClient c = TafelClient.create(dir.resolve(name), options(signaling.uri()));
    closeLater.add(c);
    return c;
  }

  private static TafelClient.Options options(URI uri) {
    return TafelClient.Options.of(uri).withRingTimeout(Duration.ofSeconds(90));
  }

  @Test
  void answeredCallConnectsOverTheRelayAndEveryPacketAuthenticates() throws Exception {
    TafelClient alice = client("alice");
    TafelClient bob = client("bob");
    CompletableFuture<CallResult> callee =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                TafelClient.IncomingCall in = bob.awaitCall(Duration.ofSeconds(30)).orElseThrow();
                assertEquals(alice.identity(), in.caller());
                return bob.answer(in, Duration.ofSeconds(30));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    CallResult caller = alice.call(bob.identity(), Duration.ofSeconds(3));
    CallResult answered = callee.get(30, TimeUnit.SECONDS);
    System.out.printf("%s%n%s%n", caller.format(), answered.format());
    for (CallResult r : List.of(caller, answered)) {
      assertTrue(r.overRelays(), r.selectedPair());
      assertEquals(0, r.stats().authFailures(), r.format());
      assertEquals(0, r.stats().replays(), r.format());
      assertTrue(r.stats().sentPackets(MediaKind.AUDIO) > 100, r.format());
      assertTrue(r.stats().receivedPackets(MediaKind.AUDIO) > 100, r.format());
      assertTrue(r.stats().receivedPackets(MediaKind.VIDEO) > 100, r.format());
      assertTrue(r.stats().rtt().samples() >= 1, r.format());
    }
    assertEquals(caller.callId(), answered.callId());
  }

  @Test
  void declinedCallIsReportedAsDeclined() throws Exception {
    TafelClient alice = client("alice");
    TafelClient bob = client("bob");
    CompletableFuture<Void> callee =
        CompletableFuture.runAsync(
            () -> {
              try {
                bob.decline(bob.awaitCall(Duration.ofSeconds(30)).orElseThrow());
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    CallNotAnsweredException e =
        assertThrows(
            CallNotAnsweredException.class,
            () -> alice.call(bob.identity(), Duration.ofSeconds(3)));
    assertEquals(CallNotAnsweredException.Reason.DECLINED, e.reason(), e.getMessage());
    callee.get(10, TimeUnit.SECONDS);
  }

  @Test
  void offerThatExpiresWhileTheCalleeIsOfflineIsAMissedCallAndNeverRings() throws Exception {
    TafelClient alice = client("alice");
    TafelClient bob = client("bob");
    String bobId = bob.identity();
    bob.close(); // offline
    CompletableFuture<CallResult> call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return alice.call(bobId, Duration.ofSeconds(3));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (signaling.storedEnvelopes() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, signaling.storedEnvelopes(), "the offer is queued for bob");
    signaling.clock.advance(Duration.ofSeconds(61));

    // bob comes back while the expired offer is still in the store (not swept yet: the periodic
    // sweep is an hour away), so it is delivery's expiry check that keeps it from ringing
    TafelClient bobAgain = TafelClient.open(dir.resolve("bob"), options(signaling.uri()));
    closeLater.add(bobAgain);
    assertEquals(Optional.empty(), bobAgain.awaitCall(Duration.ofSeconds(2)), "nothing rings");
    assertEquals(1, signaling.storedEnvelopes(), "the expired offer is still queued, unswept");
    assertFalse(call.isDone(), "no missed call reported before the sweep");

    signaling.server.sweepExpired().get(10, TimeUnit.SECONDS);
    Throwable failure =
        assertThrows(Exception.class, () -> call.get(30, TimeUnit.SECONDS)).getCause().getCause();
    assertTrue(failure instanceof CallNotAnsweredException, String.valueOf(failure));
    assertEquals(
        CallNotAnsweredException.Reason.MISSED, ((CallNotAnsweredException) failure).reason());
    assertEquals(Optional.empty(), bobAgain.awaitCall(Duration.ofSeconds(1)), "nothing rings");
    assertEquals(0, signaling.storedEnvelopes());
  }
}
