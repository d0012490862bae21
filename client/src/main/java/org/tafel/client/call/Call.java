package org.tafel.client.call;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.tafel.client.call.ice.IceConfig;
import org.tafel.client.call.ice.IceFailedException;
import org.tafel.client.call.ice.IceSession;
import org.tafel.client.call.ice.RelayUnavailableException;
import org.tafel.client.call.media.CallStats;
import org.tafel.client.call.media.MediaSession;
import org.tafel.client.call.media.MediaTransport;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;

/**
 * One call from one side, between the payloads and the media: the caller makes the {@code
 * call-offer} ({@link #outgoing}, {@link #offer}) and connects on the answer ({@link
 * #connect(CallPayload.Answer)}); the callee takes the offer ({@link #incoming}), makes the {@code
 * call-answer} ({@link #answer}) and connects ({@link #connect()}). Then {@link #startMedia} and
 * {@link #hangup}. Carrying the payloads (sealed, short-lived queue) is the signaling client's job.
 */
public final class Call implements AutoCloseable {
  /** Profiles offered, in order of preference. */
  public static final List<SrtpProfile> OFFERED_PROFILES =
      List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);

  private final String callId;
  private final IceSession ice;
  private final Set<MediaKind> media;
  private final SecureRandom random;
  private final Clock clock;
  private final List<SrtpMasterKey> sendKeys;
  private final CallPayload.Offer incomingOffer;
  private SrtpMasterKey sendKey;
  private SrtpMasterKey receiveKey;
  private MediaTransport transport;
  private MediaSession session;

  private Call(
      String callId,
      IceSession ice,
      Set<MediaKind> media,
      List<SrtpMasterKey> sendKeys,
      CallPayload.Offer incomingOffer,
      Clock clock,
      SecureRandom random) {
    this.callId = callId;
    this.ice = ice;
    this.media = Set.copyOf(media);
    this.sendKeys = sendKeys;
    this.incomingOffer = incomingOffer;
    this.clock = clock;
    this.random = random;
  }

  /** Caller: allocates on the relay and prepares a key per offered profile. */
  public static Call outgoing(
      IceConfig iceConfig, Set<MediaKind> media, Clock clock, SecureRandom random)
      throws IOException, RelayUnavailableException {
    IceSession ice = IceSession.gather(withRole(iceConfig, true));
    List<SrtpMasterKey> keys = new ArrayList<>();
    for (SrtpProfile p : OFFERED_PROFILES) {
      keys.add(SrtpMasterKey.generate(p, random));
    }
    return new Call(CallPayloads.newCallId(random), ice, media, keys, null, clock, random);
  }

  /**
   * Callee: takes the first offered SRTP profile, sends the media kinds both want, and allocates on
   * the relay.
   */
  public static Call incoming(
      CallPayload.Offer offer,
      IceConfig iceConfig,
      Set<MediaKind> media,
      Clock clock,
      SecureRandom random)
      throws IOException, RelayUnavailableException {
    Set<MediaKind> both = EnumSet.noneOf(MediaKind.class);
    both.addAll(media);
    both.retainAll(offer.media());
    if (both.isEmpty()) {
      both.addAll(media);
    }
    SrtpCrypto chosen = offer.srtp().get(0);
    IceSession ice = IceSession.gather(withRole(iceConfig, false));
    Call c =
        new Call(
            offer.callId(),
            ice,
            both,
            List.of(SrtpMasterKey.generate(chosen.profile(), random)),
            offer,
            clock,
            random);
    c.sendKey = c.sendKeys.get(0);
    c.receiveKey = chosen.masterKey();
    return c;
  }

  public String callId() {
    return callId;
  }

  public CallPayload.Offer offer() {
    if (incomingOffer != null) {
      throw new IllegalStateException("the callee answers; it makes no offer");
    }
    List<SrtpCrypto> srtp = sendKeys.stream().map(SrtpCrypto::of).toList();
    return new CallPayload.Offer(callId, ice.localParameters(), ice.localCandidates(), srtp, media);
  }

  public CallPayload.Answer answer() {
    if (incomingOffer == null) {
      throw new IllegalStateException("the caller offers; it makes no answer");
    }
    return new CallPayload.Answer(
        callId, ice.localParameters(), ice.localCandidates(), SrtpCrypto.of(sendKey), media);
  }

  /** Caller: checks the answer against the offer and connects; blocks until ICE completes. */
  public void connect(CallPayload.Answer answer)
      throws CallSetupException, IceFailedException, InterruptedException {
    if (incomingOffer != null) {
      throw new IllegalStateException("the callee connects with connect()");
    }
    if (!answer.callId().equals(callId)) {
      throw new CallSetupException("answer for another call");
    }
    SrtpProfile chosen = answer.srtp().profile();
    sendKey =
        sendKeys.stream()
            .filter(k -> k.profile() == chosen)
            .findFirst()
            .orElseThrow(
                () -> new CallSetupException("answer chose " + chosen + ", never offered"));
    receiveKey = answer.srtp().masterKey();
    transport = ice.connect(answer.ice(), answer.candidates());
  }

  /** Callee: connects to the offer's candidates; blocks until ICE completes. */
  public void connect() throws IceFailedException, InterruptedException {
    if (incomingOffer == null) {
      throw new IllegalStateException("the caller connects with connect(answer)");
    }
    transport = ice.connect(incomingOffer.ice(), incomingOffer.candidates());
  }

  /** True once connected with relayed candidates on both ends of the selected pair. */
  public boolean connectedOverRelays() {
    return ice.connectedOverRelays();
  }

  public String selectedPair() {
    return ice.selectedPair();
  }

  /** The SRTP profile in use once keys are settled. */
  public SrtpProfile srtpProfile() {
    if (sendKey == null) {
      throw new IllegalStateException("no answer yet");
    }
    return sendKey.profile();
  }

  /** Starts sending and receiving synthetic media; {@code marker} begins every payload. */
  public void startMedia(byte[] marker) {
    startMedia(marker, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #startMedia(byte[])}, with the media path wrapped by {@code tap} (tests: observe or
   * tamper with the datagrams on the wire).
   */
  public void startMedia(byte[] marker, java.util.function.UnaryOperator<MediaTransport> tap) {
    if (transport == null) {
      throw new IllegalStateException("not connected");
    }
    session =
        new MediaSession(
            tap.apply(transport),
            new MediaSession.Config(sendKey, receiveKey, media, marker),
            clock,
            random);
    session.start();
  }

  /** Stops media (draining what is in flight) and returns the statistics. */
  public CallStats hangup(Duration drain) throws InterruptedException, IOException {
    if (session == null) {
      throw new IllegalStateException("media never started");
    }
    return session.stop(drain);
  }

  /** Stops sending now (both sides should, before either collects statistics). */
  public void stopSending() throws InterruptedException {
    if (session != null) {
      session.stopSending();
    }
  }

  public CallPayload.Hangup hangupPayload(HangupReason reason) {
    return new CallPayload.Hangup(callId, reason);
  }

  @Override
  public void close() {
    ice.close();
    sendKeys.forEach(SrtpMasterKey::destroy);
    if (receiveKey != null) {
      receiveKey.destroy();
    }
  }

  private static IceConfig withRole(IceConfig c, boolean controlling) {
    return new IceConfig(c.turnServers(), controlling, c.connectTimeout());
  }
}
