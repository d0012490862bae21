package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.FrameCodec;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/**
 * Must-show 4: each bad input gets its documented error (docs/protocol.md "Errors"), and after each
 * the server still serves another client ({@link #otherClientIsServed()}).
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class ErrorsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final FrameCodec CODEC = new FrameCodec();

  @TempDir Path dir;
  private SignalingFixture f;
  private final X25519.KeyPair bobKey = X25519.generate(RANDOM);
  private String bob;

  @BeforeEach
  void start() throws Exception {
    // a fixed clock: the send bucket (burst 5) never refills during a test
    f =
        SignalingFixture.start(
            dir,
            b -> b.limits(SignalingConfig.Limits.defaults().withRates(1, 5).withQueueDepth(50)));
    try (WsClient b = f.connect()) {
      bob = b.register(bobKey, null);
    }
  }

  @AfterEach
  void stop() {
    otherClientIsServed();
    f.close();
  }

  @Test
  void connectionThatNeverLogsInIsClosedAtTheLoginTimeout() throws Exception {
    try (SignalingFixture quick =
            SignalingFixture.start(
                dir.resolve("quick"),
                b ->
                    b.limits(
                        SignalingConfig.Limits.defaults()
                            .withLoginTimeout(java.time.Duration.ofMillis(300))));
        WsClient prompt = quick.connect();
        WsClient idle = quick.connect()) {
      String id = prompt.register(X25519.generate(RANDOM), null);
      idle.hello();
      assertEquals(CloseCodes.LOGIN_TIMEOUT, idle.awaitClose());
      // prompt opened first, so its deadline has passed too; a round trip shows it is still served
      prompt.send(new ClientFrame.Lookup("1", id));
      assertEquals(id, prompt.expect(ServerFrame.Key.class).identity());
      assertNull(prompt.closeCode(), "a logged-in session outlives the login timeout");
    }
  }

  /** A second, well-behaved client still logs in, sends and receives. */
  void otherClientIsServed() {
    try (WsClient a = f.connect();
        WsClient b = f.connect()) {
      a.register(X25519.generate(RANDOM), null);
      b.login(bob, bobKey);
      byte[] id =
          a.sendEnvelope(QueueClass.NONE, "still here".getBytes(StandardCharsets.UTF_8), bob);
      a.expect(ServerFrame.Sent.class);
      ServerFrame.Deliver d =
          (ServerFrame.Deliver)
              b.expect(
                  x ->
                      x instanceof ServerFrame.Deliver dd
                          && java.util.Arrays.equals(dd.messageId(), id));
      assertEquals("still here", new String(d.box(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void loginWithTheWrongKeyIsBadLogin() {
    try (WsClient c = f.connect()) {
      c.hello();
      c.send(c.loginFrame(bob, X25519.generate(RANDOM)));
      c.expectError(ErrorCode.BAD_LOGIN);
      // the challenge was used: another attempt on this connection is refused as such
      c.send(c.loginFrame(bob, bobKey));
      c.expectError(ErrorCode.CHALLENGE_USED);
      assertNull(c.closeCode());
    }
  }

  @Test
  void replayedLoginIsRefused() {
    String captured;
    try (WsClient c = f.connect()) {
      c.hello();
      ClientFrame.Login login = c.loginFrame(bob, bobKey);
      captured = CODEC.encode(login);
      c.sendText(captured);
      c.expect(ServerFrame.Welcome.class);
      c.sendText(captured); // same connection, after success
      c.expectError(ErrorCode.ALREADY_AUTHENTICATED);
    }
    try (WsClient attacker = f.connect()) {
      attacker.hello();
      attacker.sendText(captured); // another connection: other ephemerals and challenge
      attacker.expectError(ErrorCode.BAD_LOGIN);
    }
  }

  @Test
  void loginTranscriptRelayedToAnotherConnectionIsBadLogin() {
    try (WsClient victim = f.connect();
        WsClient relay = f.connect()) {
      victim.hello();
      relay.hello();
      // the victim's MAC, made for its own connection, presented on the relay's connection
      relay.sendText(CODEC.encode(victim.loginFrame(bob, bobKey)));
      relay.expectError(ErrorCode.BAD_LOGIN);
    }
  }

  @Test
  void loginAsUnknownIdIsUnknownIdentity() {
    try (WsClient c = f.connect()) {
      c.hello();
      c.send(c.loginFrame("ZZZZ9999", bobKey));
      c.expectError(ErrorCode.UNKNOWN_IDENTITY);
    }
  }

  @Test
  void envelopeToUnknownIdIsUnknownRecipient() {
    try (WsClient a = f.connect()) {
      a.register(X25519.generate(RANDOM), null);
      a.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, bob, "ZZZZ9999");
      ServerFrame.Error e = a.expectError(ErrorCode.UNKNOWN_RECIPIENT);
      assertTrue(e.message().contains("ZZZZ9999"), e.message());
      assertEquals(0, f.storedEnvelopes()); // nothing of a refused send is stored
    }
  }

  @Test
  void envelopeOver64KiBIsTooLarge() {
    try (WsClient a = f.connect()) {
      a.register(X25519.generate(RANDOM), null);
      a.sendEnvelope(QueueClass.NORMAL, new byte[65_537], bob);
      a.expectError(ErrorCode.TOO_LARGE);
      a.sendEnvelope(QueueClass.NORMAL, new byte[65_536], bob);
      a.expect(ServerFrame.Sent.class);
    }
  }

  @Test
  void malformedFramesGetErrorsAndTheConnectionStays() {
    try (WsClient c = f.connect()) {
      c.sendText("{not json");
      c.expectError(ErrorCode.MALFORMED);
      c.sendText("{\"type\":\"teleport\",\"id\":\"5\"}");
      assertEquals("5", c.expectError(ErrorCode.UNKNOWN_TYPE).id());
      c.sendText("{\"type\":\"hello\",\"id\":\"6\",\"v\":1,\"ephemeral\":\"AQID\"}");
      ServerFrame.Error e = c.expectError(ErrorCode.MALFORMED);
      assertEquals("6", e.id());
      assertTrue(e.message().contains("ephemeral"), e.message());
      c.send(new ClientFrame.Hello("7", 2, X25519.generate(RANDOM).publicKey()));
      c.expectError(ErrorCode.UNSUPPORTED_VERSION);
      c.send(new ClientFrame.Login("8", bob, new byte[32]));
      c.expectError(ErrorCode.HELLO_REQUIRED);
      c.login(bob, bobKey);
    }
  }

  @Test
  void frameOverTheLimitClosesWith1009() {
    try (WsClient c = f.connect()) {
      c.hello();
      c.sendText("{\"type\":\"lookup\",\"pad\":\"" + "x".repeat(100 * 1024) + "\"}");
      assertEquals(CloseCodes.MESSAGE_TOO_BIG, c.awaitClose());
    }
  }

  @Test
  void binaryFrameClosesWith1003() {
    try (WsClient c = f.connect()) {
      c.sendBinary(new byte[] {1, 2, 3});
      assertEquals(CloseCodes.UNSUPPORTED_DATA, c.awaitClose());
    }
  }

  @Test
  void floodPastTheSendRateIsRateLimited() {
    try (WsClient a = f.connect()) {
      a.register(X25519.generate(RANDOM), null);
      for (int i = 0; i < 8; i++) {
        a.sendEnvelope(QueueClass.NONE, new byte[] {1}, bob);
      }
      int sent = 0;
      int limited = 0;
      for (int i = 0; i < 8; i++) {
        ServerFrame r =
            a.expect(x -> x instanceof ServerFrame.Sent || x instanceof ServerFrame.Error);
        if (r instanceof ServerFrame.Error e) {
          assertEquals(ErrorCode.RATE_LIMITED.wire(), e.code());
          limited++;
        } else {
          sent++;
        }
      }
      assertEquals(5, sent);
      assertEquals(3, limited);
      // time passing refills the bucket
      f.clock.advance(java.time.Duration.ofSeconds(2));
      a.sendEnvelope(QueueClass.NONE, new byte[] {1}, bob);
      a.expect(ServerFrame.Sent.class);
    }
  }

  @Test
  void lookupFloodIsRateLimitedPerSession() {
    try (WsClient a = f.connect()) {
      a.register(X25519.generate(RANDOM), null);
      for (int i = 0; i < 501; i++) {
        a.send(new ClientFrame.Lookup("" + i, bob));
      }
      int keys = 0;
      for (int i = 0; i < 501; i++) {
        ServerFrame r =
            a.expect(x -> x instanceof ServerFrame.Key || x instanceof ServerFrame.Error);
        if (r instanceof ServerFrame.Error e) {
          assertEquals(ErrorCode.RATE_LIMITED.wire(), e.code());
        } else {
          keys++;
        }
      }
      assertEquals(500, keys); // the clock does not move: exactly the burst
    }
  }

  @Test
  void fullQueueIsQueueFull() {
    try (SignalingFixture small =
            SignalingFixture.start(
                dir.resolve("small"),
                b -> b.limits(SignalingConfig.Limits.defaults().withQueueDepth(3)));
        WsClient a = small.connect();
        WsClient b = small.connect()) {
      String target = b.register(X25519.generate(RANDOM), null);
      b.close();
      a.register(X25519.generate(RANDOM), null);
      for (int i = 0; i < 3; i++) {
        a.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, target);
        a.expect(ServerFrame.Sent.class);
      }
      a.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, target);
      a.expectError(ErrorCode.QUEUE_FULL);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void unauthenticatedSendIsNotAuthenticated() {
    try (WsClient c = f.connect()) {
      c.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, bob);
      c.expectError(ErrorCode.NOT_AUTHENTICATED);
      c.hello();
      c.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, bob);
      c.expectError(ErrorCode.NOT_AUTHENTICATED);
      c.send(new ClientFrame.TurnCredentials("1"));
      c.expectError(ErrorCode.NOT_AUTHENTICATED);
    }
    assertEquals(0, f.storedEnvelopes());
    assertEquals(3, f.metric("tafel_signaling_errors_total{code=\"not-authenticated\"}"));
  }

  @Test
  void messageIdOfAnotherSendersQueuedEnvelopeIsTaken() {
    try (WsClient a = f.connect();
        WsClient c = f.connect()) {
      a.register(X25519.generate(RANDOM), null);
      c.register(X25519.generate(RANDOM), null);
      byte[] id = a.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, bob);
      a.expect(ServerFrame.Sent.class);
      // the sender's own retry is idempotent
      a.sendEnvelope(id, QueueClass.NORMAL, new byte[] {1}, bob);
      a.expect(ServerFrame.Sent.class);
      assertEquals(1, f.storedEnvelopes());
      c.sendEnvelope(id, QueueClass.NORMAL, new byte[] {2}, bob);
      c.expectError(ErrorCode.MESSAGE_ID_TAKEN);
    }
  }

  @Test
  void registrationWithoutEnoughWorkIsRefused() {
    try (WsClient c = f.connect()) {
      c.hello();
      X25519.KeyPair k = X25519.generate(RANDOM);
      ClientFrame.Register r = c.registerFrame(k, null);
      // find a nonce that fails the difficulty
      long bad = 0;
      while (org.tafel.protocol.signaling.ProofOfWork.verify(
          c.serverHello().challenge(), k.publicKey(), bad, SignalingFixture.TEST_POW_BITS)) {
        bad++;
      }
      c.send(new ClientFrame.Register(r.id(), r.publicKey(), null, bad, r.mac()));
      c.expectError(ErrorCode.BAD_PROOF_OF_WORK);
    }
  }
}
