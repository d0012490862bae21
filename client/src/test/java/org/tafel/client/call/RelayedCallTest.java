package org.tafel.client.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.call.ice.IceConfig;
import org.tafel.client.call.ice.IceSession;
import org.tafel.client.call.ice.RelayUnavailableException;
import org.tafel.client.call.ice.TurnServer;
import org.tafel.client.call.media.CallStats;
import org.tafel.client.call.media.MediaSession;
import org.tafel.client.call.media.MediaTransport;
import org.tafel.client.call.rtp.RtpHeader;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;
import org.tafel.client.call.srtp.SrtpTransformer;
import org.tafel.client.crypto.EnvelopeHeader;
import org.tafel.client.crypto.MessageCrypto;
import org.tafel.client.crypto.OpenedMessage;
import org.tafel.client.crypto.Profile;
import org.tafel.client.crypto.ReplayGuard;
import org.tafel.client.crypto.SealedMessage;
import org.tafel.protocol.stun.TurnCredentials;
import org.tafel.relay.RelayFixture;

/**
 * A whole call between two clients, short of the signaling server: the offer and answer are sealed
 * end to end (SRTP keys inside), two ice4j agents gather relayed candidates from a real Tafel relay
 * and connect relay to relay, and SRTP media flows for a few seconds through the relay.
 */
class RelayedCallTest {
  private static final byte[] CANARY = "CANARY-call-media".getBytes(StandardCharsets.US_ASCII);
  private static final int TAMPERED = 3;
  private final SecureRandom random = new SecureRandom();

  private static TurnServer turn(RelayFixture relay, String pseudonym, String password) {
    String user = (System.currentTimeMillis() / 1000 + 3600) + ":" + pseudonym;
    String pass =
        password != null
            ? password
            : TurnCredentials.restPassword(
                RelayFixture.SECRET.getBytes(StandardCharsets.UTF_8), user);
    return new TurnServer("127.0.0.1", relay.port(), user, pass);
  }

  @Test
  @Timeout(90)
  void callConnectsOverRelayedCandidatesAndEveryMediaPacketAuthenticates(@TempDir Path dir)
      throws Exception {
    Profile aliceProfile = Profile.create(dir.resolve("alice"), random);
    Profile bobProfile = Profile.create(dir.resolve("bob"), random);
    MessageCrypto alice = crypto(aliceProfile);
    MessageCrypto bob = crypto(bobProfile);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        IceSession aliceIce =
            IceSession.gather(IceConfig.of(turn(relay, "alicepseudonym01", null), true))) {
      // Alice offers GCM first, CM as a fallback, each with her sending key.
      SrtpMasterKey aliceGcm = SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, random);
      SrtpMasterKey aliceCm = SrtpMasterKey.generate(SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
      assertEquals(1, aliceIce.localCandidates().size(), "" + aliceIce.localCandidates());
      assertEquals("relay", aliceIce.localCandidates().get(0).type());
      CallPayload.Offer offer =
          new CallPayload.Offer(
              CallPayloads.newCallId(random),
              aliceIce.localParameters(),
              aliceIce.localCandidates(),
              List.of(SrtpCrypto.of(aliceGcm), SrtpCrypto.of(aliceCm)),
              Set.of(MediaKind.AUDIO, MediaKind.VIDEO));
      CallPayload.Offer bobsOffer =
          (CallPayload.Offer)
              deliver(alice, aliceProfile, "ALICE001", bob, bobProfile, "BOB00002", offer);
      assertEquals(offer, bobsOffer);

      try (IceSession bobIce =
          IceSession.gather(IceConfig.of(turn(relay, "bobpseudonym0002", null), false))) {
        SrtpCrypto chosen = bobsOffer.srtp().get(0);
        SrtpMasterKey bobKey = SrtpMasterKey.generate(chosen.profile(), random);
        CallPayload.Answer answer =
            new CallPayload.Answer(
                bobsOffer.callId(),
                bobIce.localParameters(),
                bobIce.localCandidates(),
                SrtpCrypto.of(bobKey),
                bobsOffer.media());
        CallPayload.Answer alicesAnswer =
            (CallPayload.Answer)
                deliver(bob, bobProfile, "BOB00002", alice, aliceProfile, "ALICE001", answer);

        CompletableFuture<MediaTransport> bobConnect =
            CompletableFuture.supplyAsync(
                () -> connect(bobIce, bobsOffer.ice(), bobsOffer.candidates()), pool);
        MediaTransport aliceMedia = aliceIce.connect(alicesAnswer.ice(), alicesAnswer.candidates());
        MediaTransport bobMedia = bobConnect.get(30, TimeUnit.SECONDS);
        assertTrue(aliceIce.connectedOverRelays(), aliceIce.selectedPair());
        assertTrue(bobIce.connectedOverRelays(), bobIce.selectedPair());

        long relayedBefore =
            relay.metric("tafel_relay_packets_total{direction=\"peer_to_client\"}");
        MediaSession aliceSession =
            new MediaSession(
                aliceMedia,
                new MediaSession.Config(
                    aliceGcm, alicesAnswer.srtp().masterKey(), offer.media(), CANARY),
                Clock.systemUTC(),
                random);
        MediaSession bobSession =
            new MediaSession(
                bobMedia,
                new MediaSession.Config(bobKey, chosen.masterKey(), answer.media(), CANARY),
                Clock.systemUTC(),
                random);
        aliceSession.start();
        bobSession.start();
        Thread.sleep(1_500);
        injectTamperedPackets(aliceMedia, aliceGcm);
        Thread.sleep(2_500);
        aliceSession.stopSending();
        bobSession.stopSending();
        CallStats a = aliceSession.stop(Duration.ofMillis(500));
        CallStats b = bobSession.stop(Duration.ofMillis(500));
        System.out.printf(
            "alice %s%n%sbob %s%n%s",
            aliceIce.selectedPair(), a.format(), bobIce.selectedPair(), b.format());

        // Every packet that arrived authenticated, except exactly the tampered ones.
        assertEquals(TAMPERED, b.authFailures(), b.format());
        assertEquals(0, a.authFailures(), a.format());
        for (CallStats s : List.of(a, b)) {
          assertEquals(0, s.replays(), s.format());
          assertEquals(0, s.invalid(), s.format());
          assertTrue(s.rtt().samples() >= 2, "RTT samples:\n" + s.format());
          assertEquals(2, s.received().size(), s.format());
        }
        assertDelivered(a, b);
        assertDelivered(b, a);
        long relayed =
            relay.metric("tafel_relay_packets_total{direction=\"peer_to_client\"}") - relayedBefore;
        long sent =
            a.sentPackets(MediaKind.AUDIO)
                + a.sentPackets(MediaKind.VIDEO)
                + b.sentPackets(MediaKind.AUDIO)
                + b.sentPackets(MediaKind.VIDEO);
        assertTrue(relayed >= sent, "the relay forwarded " + relayed + " of " + sent + " packets");

        CallPayload.Hangup hangup = new CallPayload.Hangup(offer.callId(), HangupReason.NORMAL);
        assertEquals(
            hangup, deliver(bob, bobProfile, "BOB00002", alice, aliceProfile, "ALICE001", hangup));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Timeout(60)
  void saysClearlyWhenTheRelayRefusesTheTurnPassword() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start()) {
      TurnServer bad = turn(relay, "alicepseudonym01", "d3JvbmctcGFzc3dvcmQ=");
      long start = System.nanoTime();
      RelayUnavailableException e =
          assertThrows(
              RelayUnavailableException.class, () -> IceSession.gather(IceConfig.of(bad, true)));
      assertTrue(e.getMessage().contains("no relayed candidate"), e.getMessage());
      assertTrue(e.getMessage().contains("TURN credentials"), e.getMessage());
      assertFalse(e.getMessage().contains(bad.password()), "the password stays out of messages");
      assertTrue(
          System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20),
          "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }

  /** Every packet sent was received or counted lost; a relay on loopback loses next to none. */
  private static void assertDelivered(CallStats from, CallStats to) {
    for (MediaKind k : MediaKind.values()) {
      long sent = from.sentPackets(k);
      long received = to.receivedPackets(k);
      long lost =
          to.received().stream()
              .filter(r -> r.kind() == k)
              .mapToLong(CallStats.Received::lost)
              .sum();
      assertTrue(sent > 0, k + " sent nothing");
      assertTrue(received <= sent, k + ": received " + received + " of " + sent);
      assertTrue(received >= sent * 0.98, k + ": received " + received + " of " + sent);
      assertTrue(received + lost <= sent, k + ": received + lost > sent");
    }
  }

  /**
   * Genuine SRTP packets under Alice's key, from a source her session does not use, with one
   * payload bit flipped: Bob's side must refuse each one.
   */
  private static void injectTamperedPackets(MediaTransport t, SrtpMasterKey key) throws Exception {
    try (SrtpTransformer forger = SrtpTransformer.sender(key)) {
      byte[] buf = new byte[256];
      for (int i = 0; i < TAMPERED; i++) {
        RtpHeader.write(buf, false, MediaKind.AUDIO.payloadType(), 1000 + i, 960L * i, 0x5eed);
        int n = forger.protectRtp(buf, 12 + 100);
        buf[40] ^= 0x01;
        t.send(buf, 0, n);
      }
    }
  }

  private static MediaTransport connect(IceSession ice, IceParameters p, List<IceCandidate> c) {
    try {
      return ice.connect(p, c);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private MessageCrypto crypto(Profile p) {
    return new MessageCrypto(
        p, new ReplayGuard(100), Clock.systemUTC(), random, MessageCrypto.Limits.defaults());
  }

  /** Seals a payload from one side and opens it on the other, as signaling will carry it. */
  private static CallPayload deliver(
      MessageCrypto from,
      Profile fromProfile,
      String fromId,
      MessageCrypto to,
      Profile toProfile,
      String toId,
      CallPayload payload)
      throws Exception {
    SealedMessage s =
        from.seal(toId, toProfile.publicKey(), payload.messageType(), CallPayloads.encode(payload));
    OpenedMessage m =
        to.open(
            new EnvelopeHeader(s.messageId(), fromId, s.nonce(), s.queueClass()),
            fromProfile.publicKey(),
            s.ciphertext());
    assertEquals(payload.messageType(), m.type());
    return CallPayloads.decode(m.type(), m.body());
  }
}
