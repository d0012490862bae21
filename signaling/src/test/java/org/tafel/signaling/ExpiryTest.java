package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/** Must-show 3: expiry counts from arrival by the injected clock; expiry is never silent. */
@ExtendWith(NettyLeakDetectorExtension.class)
class ExpiryTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  /** Sweeps only when the test asks, so delivery's own expiry check is what is tested first. */
  private SignalingFixture start() throws Exception {
    SignalingConfig.Limits l =
        SignalingConfig.Limits.defaults().withExpirySweep(Duration.ofHours(1));
    return SignalingFixture.start(dir, b -> b.limits(l));
  }

  @Test
  void shortLivedEnvelopeUndeliveredFor60SecondsIsNeverDeliveredAndSenderGetsExpired()
      throws Exception {
    try (SignalingFixture f = start()) {
      X25519.KeyPair bobKey = X25519.generate(RANDOM);
      String bob;
      try (WsClient b = f.connect()) {
        bob = b.register(bobKey, null);
      }
      try (WsClient a = f.connect()) {
        a.register(X25519.generate(RANDOM), null);
        byte[] offer = a.sendEnvelope(QueueClass.SHORT, bytes("call-offer"), bob);
        a.expect(ServerFrame.Sent.class);
        f.clock.advance(Duration.ofSeconds(60));

        // not swept yet: delivery itself refuses the expired envelope
        try (WsClient b = f.connect()) {
          b.login(bob, bobKey);
          a.sendEnvelope(QueueClass.NORMAL, bytes("marker"), bob);
          a.expect(ServerFrame.Sent.class);
          ServerFrame.Deliver first = b.expect(ServerFrame.Deliver.class);
          assertEquals("marker", new String(first.box(), StandardCharsets.UTF_8));
        }

        assertEquals(1, f.server.sweepExpired().get());
        ServerFrame.Expired receipt = a.expect(ServerFrame.Expired.class);
        assertArrayEquals(offer, receipt.messageId());
        assertEquals(bob, receipt.recipient());
        assertEquals(1, f.metric("tafel_signaling_envelopes_expired_total"));
      }
      assertEquals(1, f.storedEnvelopes()); // the unacked marker only
    }
  }

  @Test
  void shortLivedEnvelopeIsDeliveredWithin60Seconds() throws Exception {
    try (SignalingFixture f = start()) {
      X25519.KeyPair bobKey = X25519.generate(RANDOM);
      String bob;
      try (WsClient b = f.connect()) {
        bob = b.register(bobKey, null);
      }
      try (WsClient a = f.connect()) {
        a.register(X25519.generate(RANDOM), null);
        byte[] id = a.sendEnvelope(QueueClass.SHORT, bytes("ringing"), bob);
        a.expect(ServerFrame.Sent.class);
        f.clock.advance(Duration.ofSeconds(59));
        assertEquals(0, f.server.sweepExpired().get());
        try (WsClient b = f.connect()) {
          b.login(bob, bobKey);
          assertArrayEquals(id, b.expect(ServerFrame.Deliver.class).messageId());
        }
      }
    }
  }

  @Test
  void offlineSenderGetsTheReceiptAtLoginAndItsAckDeletesIt() throws Exception {
    try (SignalingFixture f = start()) {
      X25519.KeyPair aliceKey = X25519.generate(RANDOM);
      String bob;
      try (WsClient b = f.connect()) {
        bob = b.register(X25519.generate(RANDOM), null);
      }
      String alice;
      byte[] id;
      try (WsClient a = f.connect()) {
        alice = a.register(aliceKey, null);
        // a TTL can only shorten the class's lifetime
        byte[] mid = new byte[16];
        RANDOM.nextBytes(mid);
        a.send(
            new ClientFrame.Send(
                "1",
                mid,
                java.util.List.of(new ClientFrame.Recipient(bob, new byte[24], bytes("x"))),
                QueueClass.NORMAL,
                10L));
        a.expect(ServerFrame.Sent.class);
        id = mid;
      }
      f.clock.advance(Duration.ofSeconds(10));
      assertEquals(1, f.server.sweepExpired().get());
      assertEquals(0, f.storedEnvelopes());
      try (WsClient a = f.connect()) {
        a.login(alice, aliceKey);
        ServerFrame.Expired r = a.expect(ServerFrame.Expired.class);
        assertArrayEquals(id, r.messageId());
        a.send(new ClientFrame.Ack("2", id, bob));
        a.expect(ServerFrame.Acked.class);
      }
      try (WsClient a = f.connect()) {
        a.login(alice, aliceKey);
        a.send(new ClientFrame.Lookup("3", bob));
        // the lookup's answer comes with no receipt before it: the ack deleted it
        ServerFrame next = a.expect(x -> true);
        assertEquals(ServerFrame.Key.class, next.getClass());
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
