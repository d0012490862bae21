package org.tafel.client.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
import org.tafel.client.call.ice.IceConfig;
import org.tafel.client.call.ice.TurnServer;
import org.tafel.client.call.media.CallStats;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;
import org.tafel.protocol.stun.TurnCredentials;
import org.tafel.relay.RelayFixture;

/** The {@link Call} API end to end through a real relay: what the CLI's call and answer will do. */
class CallTest {
  private final SecureRandom random = new SecureRandom();

  private static IceConfig ice(RelayFixture relay, String pseudonym) {
    String user = (System.currentTimeMillis() / 1000 + 3600) + ":" + pseudonym;
    String pass =
        TurnCredentials.restPassword(RelayFixture.SECRET.getBytes(StandardCharsets.UTF_8), user);
    return IceConfig.of(new TurnServer("127.0.0.1", relay.port(), user, pass), true);
  }

  @Test
  @Timeout(90)
  void callerAndCalleeConnectOverTheRelayAndExchangeAudioOnlyWhenTheCalleeWantsAudio()
      throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        Call caller =
            Call.outgoing(
                ice(relay, "teacherpseudo001"),
                Set.of(MediaKind.AUDIO, MediaKind.VIDEO),
                Clock.systemUTC(),
                random)) {
      CallPayload.Offer offer = roundTrip(caller.offer());
      assertEquals(
          List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80),
          offer.srtp().stream().map(SrtpCrypto::profile).toList());
      try (Call callee =
          Call.incoming(
              offer,
              ice(relay, "pupilpseudonym02"),
              Set.of(MediaKind.AUDIO),
              Clock.systemUTC(),
              random)) {
        CallPayload.Answer answer = roundTrip(callee.answer());
        assertEquals(Set.of(MediaKind.AUDIO), answer.media());
        CompletableFuture<Void> calleeConnected =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    callee.connect();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool);
        caller.connect(answer);
        calleeConnected.get(30, TimeUnit.SECONDS);
        assertTrue(caller.connectedOverRelays(), caller.selectedPair());
        assertTrue(callee.connectedOverRelays(), callee.selectedPair());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, caller.srtpProfile());

        byte[] marker = "CANARY-call-api".getBytes(StandardCharsets.US_ASCII);
        caller.startMedia(marker);
        callee.startMedia(marker);
        Thread.sleep(2_500);
        caller.stopSending();
        callee.stopSending();
        CallStats a = caller.hangup(Duration.ofMillis(400));
        CallStats b = callee.hangup(Duration.ofMillis(400));
        System.out.print("caller:\n" + a.format() + "callee:\n" + b.format());
        assertEquals(0, a.authFailures() + b.authFailures(), a.format() + b.format());
        assertTrue(b.receivedPackets(MediaKind.VIDEO) > 0, "the caller sends video");
        assertEquals(0, a.receivedPackets(MediaKind.VIDEO), "the callee sends audio only");
        assertTrue(a.receivedPackets(MediaKind.AUDIO) >= b.sentPackets(MediaKind.AUDIO) * 0.98);
        assertTrue(a.rtt().samples() >= 1 && b.rtt().samples() >= 1, a.format() + b.format());
        assertEquals(
            new CallPayload.Hangup(caller.callId(), HangupReason.NORMAL),
            roundTrip(caller.hangupPayload(HangupReason.NORMAL)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Timeout(60)
  void refusesAnAnswerForAnotherCallOrWithAProfileNeverOffered() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        Call caller =
            Call.outgoing(
                ice(relay, "teacherpseudo001"),
                Set.of(MediaKind.AUDIO),
                Clock.systemUTC(),
                random)) {
      CallPayload.Offer offer = caller.offer();
      SrtpCrypto gcm = SrtpCrypto.of(SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, random));
      CallPayload.Answer otherCall =
          new CallPayload.Answer(
              CallPayloads.newCallId(random), offer.ice(), offer.candidates(), gcm, offer.media());
      assertThrows(CallSetupException.class, () -> caller.connect(otherCall));
      assertThrows(IllegalStateException.class, caller::answer);
    }
  }

  private static <T extends CallPayload> T roundTrip(T payload) throws Exception {
    @SuppressWarnings("unchecked")
    T back = (T) CallPayloads.decode(payload.messageType(), CallPayloads.encode(payload));
    return back;
  }
}
