package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/** Must-show 1: two real WebSocket clients (the JDK's) register, log in, send, receive, ack. */
@ExtendWith(NettyLeakDetectorExtension.class)
class SignalingEndToEndTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @Test
  void offlineRecipientGetsQueuedEnvelopeAtLoginAndItsAckDeletesItFromTheStore() throws Exception {
    try (SignalingFixture f = SignalingFixture.start(dir)) {
      X25519.KeyPair aliceKey = X25519.generate(RANDOM);
      X25519.KeyPair bobKey = X25519.generate(RANDOM);
      String bob;
      try (WsClient b = f.connect()) {
        bob = b.register(bobKey, null);
      }
      try (WsClient a = f.connect()) {
        String alice = a.register(aliceKey, null);
        assertTrue(alice.matches("[A-Z0-9]{8}"), alice);
        assertNotEquals(alice, bob);
        byte[] box = "ciphertext-1".getBytes(StandardCharsets.UTF_8);
        byte[] id = a.sendEnvelope(QueueClass.NORMAL, box, bob);
        assertArrayEquals(id, a.expect(ServerFrame.Sent.class).messageId());
        assertEquals(1, f.storedEnvelopes());

        try (WsClient b = f.connect()) {
          b.login(bob, bobKey);
          ServerFrame.Deliver d = b.expect(ServerFrame.Deliver.class);
          assertArrayEquals(id, d.messageId());
          assertEquals(alice, d.sender());
          assertArrayEquals(box, d.box());
          assertEquals(QueueClass.NORMAL, d.queue());
          b.send(new ClientFrame.Ack("9", id, null));
          assertArrayEquals(id, b.expect(ServerFrame.Acked.class).messageId());
        }
      }
      assertEquals(0, f.storedEnvelopes());
      assertEquals(1, f.metric("tafel_signaling_envelopes_in_total"));
      assertEquals(1, f.metric("tafel_signaling_envelopes_out_total"));
      assertEquals(1, f.metric("tafel_signaling_envelopes_acked_total"));
      assertEquals(0, f.metric("tafel_signaling_envelopes_queued"));
    }
  }

  @Test
  void oneSendReachesThreeRecipientsEachWithItsOwnBoxAndAck() throws Exception {
    try (SignalingFixture f = SignalingFixture.start(dir)) {
      List<X25519.KeyPair> keys = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        keys.add(X25519.generate(RANDOM));
        try (WsClient c = f.connect()) {
          ids.add(c.register(keys.get(i), null));
        }
      }
      try (WsClient a = f.connect();
          WsClient online = f.connect()) {
        a.register(X25519.generate(RANDOM), null);
        online.login(ids.get(0), keys.get(0));
        byte[] messageId = new byte[16];
        RANDOM.nextBytes(messageId);
        List<ClientFrame.Recipient> rs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          rs.add(
              new ClientFrame.Recipient(
                  ids.get(i), new byte[24], ("box for " + i).getBytes(StandardCharsets.UTF_8)));
        }
        a.send(new ClientFrame.Send("1", messageId, rs, QueueClass.NORMAL, null));
        a.expect(ServerFrame.Sent.class);
        assertArrayEquals(
            "box for 0".getBytes(StandardCharsets.UTF_8),
            online.expect(ServerFrame.Deliver.class).box());
        online.send(new ClientFrame.Ack("2", messageId, null));
        online.expect(ServerFrame.Acked.class);
        assertEquals(2, f.storedEnvelopes());
        for (int i = 1; i < 3; i++) {
          try (WsClient c = f.connect()) {
            c.login(ids.get(i), keys.get(i));
            ServerFrame.Deliver d = c.expect(ServerFrame.Deliver.class);
            assertArrayEquals(messageId, d.messageId());
            assertArrayEquals(("box for " + i).getBytes(StandardCharsets.UTF_8), d.box());
            c.send(new ClientFrame.Ack("3", messageId, null));
            c.expect(ServerFrame.Acked.class);
          }
          assertEquals(2 - i, f.storedEnvelopes());
        }
      }
    }
  }

  @Test
  void deliversEachSendersEnvelopesInSendOrder() throws Exception {
    try (SignalingFixture f =
        SignalingFixture.start(
            dir, b -> b.limits(SignalingConfig.Limits.defaults().withRates(1e6, 1_000_000)))) {
      X25519.KeyPair bobKey = X25519.generate(RANDOM);
      String bob;
      try (WsClient b = f.connect()) {
        bob = b.register(bobKey, null);
      }
      List<String> sent = new ArrayList<>();
      try (WsClient a = f.connect()) {
        a.register(X25519.generate(RANDOM), null);
        for (int i = 0; i < 120; i++) {
          a.sendEnvelope(QueueClass.NORMAL, ("m" + i).getBytes(StandardCharsets.UTF_8), bob);
          sent.add("m" + i);
        }
        for (int i = 0; i < 120; i++) {
          a.expect(ServerFrame.Sent.class);
        }
        try (WsClient b = f.connect()) {
          b.login(bob, bobKey);
          // half queued before login, half sent live while the queue is paged out
          for (int i = 120; i < 600; i++) {
            a.sendEnvelope(QueueClass.NORMAL, ("m" + i).getBytes(StandardCharsets.UTF_8), bob);
            sent.add("m" + i);
          }
          List<String> got = new ArrayList<>();
          Set<String> seen = new HashSet<>();
          while (got.size() < sent.size()) {
            ServerFrame.Deliver d = b.expect(ServerFrame.Deliver.class);
            String text = new String(d.box(), StandardCharsets.UTF_8);
            assertTrue(seen.add(text), "delivered twice: " + text);
            got.add(text);
          }
          assertEquals(sent, got);
        }
      }
    }
  }

  @Test
  void secondLoginClosesTheFirstWithReplaced() throws Exception {
    try (SignalingFixture f = SignalingFixture.start(dir)) {
      X25519.KeyPair key = X25519.generate(RANDOM);
      try (WsClient first = f.connect()) {
        String id = first.register(key, null);
        try (WsClient second = f.connect()) {
          second.login(id, key);
          assertEquals(CloseCodes.REPLACED, first.awaitClose());
          second.send(new ClientFrame.Lookup("1", id));
          assertArrayEquals(key.publicKey(), second.expect(ServerFrame.Key.class).publicKey());
        }
      }
      assertEquals(1, f.metric("tafel_signaling_sessions_replaced_total"));
    }
  }

  @Test
  void directoryAnswersPublicKeyForLoggedInSessions() throws Exception {
    try (SignalingFixture f = SignalingFixture.start(dir)) {
      X25519.KeyPair bobKey = X25519.generate(RANDOM);
      String bob;
      try (WsClient b = f.connect()) {
        bob = b.register(bobKey, null);
      }
      try (WsClient a = f.connect()) {
        a.register(X25519.generate(RANDOM), null);
        a.send(new ClientFrame.Lookup("7", bob));
        ServerFrame.Key k = a.expect(ServerFrame.Key.class);
        assertEquals("7", k.id());
        assertEquals(bob, k.identity());
        assertArrayEquals(bobKey.publicKey(), k.publicKey());
      }
    }
  }
}
