package org.tafel.client.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.crypto.KeyChangedException;
import org.tafel.client.crypto.MessageCrypto;
import org.tafel.client.crypto.MessageType;
import org.tafel.client.crypto.OpenedMessage;
import org.tafel.client.crypto.Profile;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.X25519;
import org.tafel.signaling.SignalingAdmin;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.SignalingServer;
import org.tafel.signaling.testing.SignalingFixture;

/** The signaling client against a real in-process signaling server on loopback. */
@Timeout(60)
class SignalingClientTest {
  private final SecureRandom random = new SecureRandom();
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeLater.size() - 1; i >= 0; i--) {
      closeLater.get(i).close();
    }
  }

  /** Collects what a client's listener hears. */
  static final class Inbox implements SignalingListener {
    final BlockingQueue<OpenedMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> expired = new LinkedBlockingQueue<>();
    final CompletableFuture<SessionEndedException> ended = new CompletableFuture<>();

    @Override
    public void message(OpenedMessage m) {
      messages.add(m);
    }

    @Override
    public void expired(byte[] messageId, String recipient) {
      expired.add(messageId);
    }

    @Override
    public void ended(SessionEndedException e) {
      ended.complete(e);
    }

    String nextText() throws InterruptedException {
      OpenedMessage m = messages.poll(20, TimeUnit.SECONDS);
      assertNotNull(m, "no message arrived");
      return new String(m.body(), StandardCharsets.UTF_8);
    }
  }

  private SignalingClient client(URI uri, Path profileDir, boolean create, Inbox inbox)
      throws Exception {
    Profile p = create ? Profile.create(profileDir, random) : Profile.open(profileDir);
    var guard = p.openReplayGuard();
    closeLater.add(guard);
    MessageCrypto crypto =
        new MessageCrypto(p, guard, Clock.systemUTC(), random, MessageCrypto.Limits.defaults());
    SignalingClient c =
        SignalingClient.start(
            new SignalingClient.Config(
                uri,
                null,
                Duration.ofSeconds(20),
                Duration.ofMillis(50),
                Duration.ofMillis(400),
                Clock.systemUTC(),
                random),
            p,
            crypto,
            inbox);
    closeLater.add(c);
    return c;
  }

  private SignalingFixture server() throws Exception {
    SignalingFixture f = SignalingFixture.start(dir.resolve("server"));
    closeLater.add(f);
    return f;
  }

  @Test
  void registersAndDeliversOneSendToSeveralRecipientsOnceEach() throws Exception {
    SignalingFixture f = server();
    Inbox bobIn = new Inbox();
    Inbox carolIn = new Inbox();
    SignalingClient alice = client(f.uri(), dir.resolve("alice"), true, new Inbox());
    SignalingClient bob = client(f.uri(), dir.resolve("bob"), true, bobIn);
    SignalingClient carol = client(f.uri(), dir.resolve("carol"), true, carolIn);
    assertTrue(alice.identity().matches("[A-Z0-9]{8}"), alice.identity());

    byte[] id =
        alice.send(
            List.of(bob.identity(), carol.identity()),
            MessageType.TEXT,
            "Hausaufgaben: Seite 12".getBytes(StandardCharsets.UTF_8));
    for (Inbox in : List.of(bobIn, carolIn)) {
      OpenedMessage m = in.messages.poll(20, TimeUnit.SECONDS);
      assertNotNull(m);
      assertArrayEquals(id, m.messageId());
      assertEquals(alice.identity(), m.senderId());
      assertEquals("Hausaufgaben: Seite 12", new String(m.body(), StandardCharsets.UTF_8));
    }
    // both acknowledged: nothing stays queued, nothing is delivered twice
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (f.storedEnvelopes() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, f.storedEnvelopes());
    assertEquals(null, bobIn.messages.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void reconnectsAfterAServerRestartAndLosesNothing() throws Exception {
    byte[] serverKey = X25519.generate(random).secret();
    Path data = dir.resolve("server");
    SignalingServer first = startServer(data, serverKey, 0);
    int port = first.port();
    URI uri = URI.create("ws://127.0.0.1:" + port + "/v1/ws");
    Inbox bobIn = new Inbox();
    SignalingClient alice = client(uri, dir.resolve("alice"), true, new Inbox());
    SignalingClient bob = client(uri, dir.resolve("bob"), true, bobIn);
    alice.lookup(bob.identity());

    alice.send(List.of(bob.identity()), MessageType.TEXT, bytes("before the restart"));
    assertEquals("before the restart", bobIn.nextText());

    first.close();
    // sent while the server is down: waits for the reconnect, then is sent with its message ID
    CompletableFuture<byte[]> during =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return alice.send(List.of(bob.identity()), MessageType.TEXT, bytes("during"));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    Thread.sleep(500);
    assertFalse(during.isDone(), "a send cannot be durable while the server is down");
    SignalingServer second = startServer(data, serverKey, port);
    closeLater.add(second);
    byte[] duringId = during.get(20, TimeUnit.SECONDS);
    OpenedMessage m = bobIn.messages.poll(20, TimeUnit.SECONDS);
    assertNotNull(m, "the message sent during the outage never arrived");
    assertArrayEquals(duringId, m.messageId());
    assertEquals("during", new String(m.body(), StandardCharsets.UTF_8));
    alice.send(List.of(bob.identity()), MessageType.TEXT, bytes("after"));
    assertEquals("after", bobIn.nextText());
    assertEquals(null, bobIn.messages.poll(300, TimeUnit.MILLISECONDS), "nothing twice");
    assertTrue(alice.connections() >= 2, "alice reconnected: " + alice.connections());
    assertTrue(bob.connections() >= 2, "bob reconnected: " + bob.connections());
  }

  @Test
  void aDroppedConnectionDuringASendResendsTheSameMessageIdAndItArrivesOnce() throws Exception {
    SignalingFixture f = server();
    Inbox bobIn = new Inbox();
    SignalingClient alice = client(f.uri(), dir.resolve("alice"), true, new Inbox());
    SignalingClient bob = client(f.uri(), dir.resolve("bob"), true, bobIn);
    bob.dropConnection();
    for (int i = 0; i < 5; i++) {
      alice.send(List.of(bob.identity()), MessageType.TEXT, bytes("m" + i));
      if (i == 2) {
        alice.dropConnection();
      }
    }
    for (int i = 0; i < 5; i++) {
      assertEquals("m" + i, bobIn.nextText());
    }
    assertEquals(null, bobIn.messages.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void aReplacedSessionEndsAndDoesNotReconnect() throws Exception {
    SignalingFixture f = server();
    Inbox first = new Inbox();
    SignalingClient a = client(f.uri(), dir.resolve("alice"), true, first);
    SignalingClient b = client(f.uri(), dir.resolve("alice"), false, new Inbox());
    assertEquals(a.identity(), b.identity());
    SessionEndedException e = first.ended.get(10, TimeUnit.SECONDS);
    assertTrue(e.replaced(), e.getMessage());
    Thread.sleep(1_000); // longer than the backoff: a reconnect would have happened
    assertEquals(1, a.connections());
    assertFalse(a.isConnected());
    assertTrue(b.isConnected());
    assertThrows(SessionEndedException.class, () -> a.lookup(b.identity()));
  }

  @Test
  void refusesAServerWhoseKeyDiffersFromThePin() throws Exception {
    SignalingFixture f = server();
    client(f.uri(), dir.resolve("alice"), true, new Inbox()).close();
    try (SignalingFixture other = SignalingFixture.start(dir.resolve("other"))) {
      KeyChangedException e =
          assertThrows(
              KeyChangedException.class,
              () -> client(other.uri(), dir.resolve("alice"), false, new Inbox()));
      assertTrue(e.getMessage().contains("server"), e.getMessage());
    }
  }

  @Test
  void refusesToSendWhenTheDirectoryReturnsADifferentKeyForAPinnedContact() throws Exception {
    SignalingFixture f = server();
    SignalingClient bob = client(f.uri(), dir.resolve("bob"), true, new Inbox());
    Profile alice = Profile.create(dir.resolve("alice"), random);
    alice.acceptContactKey(bob.identity(), X25519.generate(random).publicKey());
    SignalingClient a = client(f.uri(), dir.resolve("alice"), false, new Inbox());
    assertThrows(
        KeyChangedException.class,
        () -> a.send(List.of(bob.identity()), MessageType.TEXT, bytes("hi")));
    assertEquals(0, f.storedEnvelopes());
  }

  @Test
  void unknownRecipientIsNamedByTheServer() throws Exception {
    SignalingFixture f = server();
    SignalingClient a = client(f.uri(), dir.resolve("alice"), true, new Inbox());
    SignalingException e =
        assertThrows(
            SignalingException.class,
            () -> a.send(List.of("ZZZZ9999"), MessageType.TEXT, bytes("hi")));
    assertEquals(ErrorCode.UNKNOWN_IDENTITY, e.code());
  }

  @Test
  void registersWithALicenceCodeWhereTheServerRequiresOne() throws Exception {
    Path data = dir.resolve("server");
    SignalingFixture f =
        SignalingFixture.start(data, b -> b.registration(SignalingConfig.Registration.LICENCE, 0));
    closeLater.add(f);
    String code;
    try (SignalingAdmin admin = SignalingAdmin.open(data, Clock.systemUTC())) {
      code = admin.createLicences(1).get(0);
    }
    SignalingException none =
        assertThrows(
            SignalingException.class, () -> client(f.uri(), dir.resolve("a"), true, new Inbox()));
    assertEquals(ErrorCode.BAD_LICENCE, none.code());
    assertTrue(none.getMessage().contains("--licence"), none.getMessage());

    Profile p = Profile.create(dir.resolve("b"), random);
    var guard = p.openReplayGuard();
    closeLater.add(guard);
    SignalingClient c =
        SignalingClient.start(
            SignalingClient.Config.of(f.uri(), code.toLowerCase(java.util.Locale.ROOT)),
            p,
            new MessageCrypto(p, guard, Clock.systemUTC(), random, MessageCrypto.Limits.defaults()),
            new Inbox());
    closeLater.add(c);
    assertEquals(p.identityId().orElseThrow(), c.identity());
  }

  @Test
  void unreachableServerIsReportedAsSuch() throws Exception {
    URI nowhere = URI.create("ws://127.0.0.1:1/v1/ws");
    assertThrows(
        ServerUnreachableException.class,
        () -> client(nowhere, dir.resolve("alice"), true, new Inbox()));
  }

  private SignalingServer startServer(Path data, byte[] key, int port) throws Exception {
    SignalingConfig config =
        SignalingConfig.builder(data, key)
            .port(port)
            .threads(2)
            .registration(SignalingConfig.Registration.OPEN, SignalingFixture.TEST_POW_BITS)
            .build();
    SignalingServer s = new SignalingServer(config, new MetricsRegistry(), Clock.systemUTC());
    s.start();
    return s;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
