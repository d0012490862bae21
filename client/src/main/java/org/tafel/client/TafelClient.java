package org.tafel.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.client.call.Call;
import org.tafel.client.call.CallPayload;
import org.tafel.client.call.CallPayloads;
import org.tafel.client.call.CallSetupException;
import org.tafel.client.call.HangupReason;
import org.tafel.client.call.MalformedPayloadException;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.ice.IceConfig;
import org.tafel.client.call.ice.IceFailedException;
import org.tafel.client.call.ice.RelayUnavailableException;
import org.tafel.client.call.ice.TurnServer;
import org.tafel.client.call.media.MediaTransport;
import org.tafel.client.crypto.KeyChangedException;
import org.tafel.client.crypto.MessageCrypto;
import org.tafel.client.crypto.MessageRejectedException;
import org.tafel.client.crypto.MessageType;
import org.tafel.client.crypto.OpenedMessage;
import org.tafel.client.crypto.Profile;
import org.tafel.client.crypto.ProfileException;
import org.tafel.client.crypto.ReplayGuard;
import org.tafel.client.files.BlobClient;
import org.tafel.client.files.BlobException;
import org.tafel.client.files.FileMessage;
import org.tafel.client.files.OutgoingFile;
import org.tafel.client.files.ProgressListener;
import org.tafel.client.files.ReceivedFiles;
import org.tafel.client.signaling.SessionEndedException;
import org.tafel.client.signaling.SignalingClient;
import org.tafel.client.signaling.SignalingException;
import org.tafel.client.signaling.SignalingListener;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.ServerFrame;

/**
 * The SDK façade an application embeds: a profile (keys, pins) and a signaling server give a
 * logged-in client that sends text and files, delivers what arrives as {@link TafelEvent}s, and
 * places and answers calls through the Tafel relay.
 *
 * <pre>{@code
 * try (TafelClient c = TafelClient.open(profileDir, TafelClient.Options.of(uri))) {
 *   c.sendText(List.of("K7Q2M9XA"), "Hausaufgaben: Seite 12");
 *   TafelEvent e = c.nextEvent(Duration.ofSeconds(10));
 *   CallResult r = c.call("K7Q2M9XA", Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class TafelClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TafelClient.class);

  /**
   * Settings of a client.
   *
   * @param signaling the signaling server's {@code ws(s)://host:port/v1/ws}
   * @param licence licence code for registration on a licence server, or null
   * @param ringTimeout how long a caller waits for an answer before cancelling
   * @param media what this side sends in calls
   * @param mediaMarker the bytes every synthetic media payload starts with
   */
  public record Options(
      URI signaling,
      String licence,
      Duration requestTimeout,
      Duration ringTimeout,
      Set<MediaKind> media,
      byte[] mediaMarker,
      UnaryOperator<MediaTransport> mediaTap,
      Clock clock,
      SecureRandom random) {
    public Options {
      if (ringTimeout.compareTo(Duration.ofSeconds(1)) < 0
          || ringTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("ringTimeout: " + ringTimeout + " (expected: 1s..5m)");
      }
      media = Set.copyOf(media);
      mediaMarker = mediaMarker.clone();
    }

    /** 30 s per request, 70 s of ringing (past the offer's 60 s lifetime), audio and video. */
    public static Options of(URI signaling) {
      return new Options(
          signaling,
          null,
          Duration.ofSeconds(30),
          Duration.ofSeconds(70),
          EnumSet.of(MediaKind.AUDIO, MediaKind.VIDEO),
          "tafel".getBytes(StandardCharsets.US_ASCII),
          UnaryOperator.identity(),
          Clock.systemUTC(),
          new SecureRandom());
    }

    public Options withLicence(String code) {
      return new Options(
          signaling,
          code,
          requestTimeout,
          ringTimeout,
          media,
          mediaMarker,
          mediaTap,
          clock,
          random);
    }

    public Options withMediaMarker(byte[] marker) {
      return new Options(
          signaling, licence, requestTimeout, ringTimeout, media, marker, mediaTap, clock, random);
    }

    public Options withRingTimeout(Duration d) {
      return new Options(
          signaling, licence, requestTimeout, d, media, mediaMarker, mediaTap, clock, random);
    }

    /** Wraps each call's media path (tests: count or tamper with datagrams on the wire). */
    public Options withMediaTap(UnaryOperator<MediaTransport> tap) {
      return new Options(
          signaling, licence, requestTimeout, ringTimeout, media, mediaMarker, tap, clock, random);
    }
  }

  /** A call offered to this client, not yet answered. */
  public record IncomingCall(String caller, CallPayload.Offer offer) {
    public String callId() {
      return offer.callId();
    }
  }

  private record Signal(String sender, CallPayload payload, boolean expired) {}

  private final Options options;
  private final Profile profile;
  private final ReplayGuard replay;
  private final SignalingClient signaling;
  private final BlockingQueue<TafelEvent> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<IncomingCall> incoming = new LinkedBlockingQueue<>();
  private final Map<String, BlockingQueue<Signal>> calls = new ConcurrentHashMap<>();
  private final Map<String, String> offerIds = new ConcurrentHashMap<>();

  private TafelClient(Options options, Profile profile, ReplayGuard replay, Receiver receiver)
      throws IOException,
          KeyChangedException,
          SignalingException,
          ProfileException,
          InterruptedException {
    this.options = options;
    this.profile = profile;
    this.replay = replay;
    receiver.client = this;
    MessageCrypto crypto =
        new MessageCrypto(
            profile, replay, options.clock(), options.random(), MessageCrypto.Limits.defaults());
    this.signaling =
        SignalingClient.start(
            new SignalingClient.Config(
                options.signaling(),
                options.licence(),
                options.requestTimeout(),
                Duration.ofMillis(250),
                Duration.ofSeconds(30),
                options.clock(),
                options.random()),
            profile,
            crypto,
            receiver);
  }

  /**
   * Creates keys in {@code profileDir} (unless it already holds some) and registers them, or logs
   * in if the profile is registered.
   */
  public static TafelClient create(Path profileDir, Options options)
      throws IOException,
          KeyChangedException,
          SignalingException,
          ProfileException,
          InterruptedException {
    Profile p =
        Files.exists(profileDir.resolve(Profile.IDENTITY_FILE))
            ? Profile.open(profileDir)
            : Profile.create(profileDir, options.random());
    return start(p, options);
  }

  /** Logs in with a registered profile. */
  public static TafelClient open(Path profileDir, Options options)
      throws IOException,
          KeyChangedException,
          SignalingException,
          ProfileException,
          InterruptedException {
    Profile p = Profile.open(profileDir);
    if (p.identityId().isEmpty()) {
      throw new ProfileException(
          "the profile " + profileDir + " has no identity yet (expected: run `tafel id new`)");
    }
    return start(p, options);
  }

  private static TafelClient start(Profile p, Options options)
      throws IOException,
          KeyChangedException,
          SignalingException,
          ProfileException,
          InterruptedException {
    ReplayGuard guard = p.openReplayGuard();
    try {
      return new TafelClient(options, p, guard, new Receiver());
    } catch (IOException
        | KeyChangedException
        | SignalingException
        | ProfileException
        | InterruptedException
        | RuntimeException e) {
      guard.close();
      throw e;
    }
  }

  public String identity() {
    return signaling.identity();
  }

  public Profile profile() {
    return profile;
  }

  /** The signaling session (credentials, raw sends). */
  public SignalingClient signaling() {
    return signaling;
  }

  // ---------------------------------------------------------------- messages

  /** Sends a text to every recipient (one envelope); returns the message ID once durable. */
  public byte[] sendText(List<String> to, String text)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException {
    return signaling.send(to, MessageType.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a {@code file} message for an uploaded blob to every recipient. */
  public byte[] sendFileMessage(List<String> to, FileMessage file)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException {
    return signaling.send(to, MessageType.FILE, file.toJson());
  }

  /** What {@link #sendFile} did: the blob (uploaded once) and the message sent to everyone. */
  public record SentFile(String blobId, byte[] messageId, long size, String sha256) {}

  /**
   * Encrypts {@code file} with a fresh key (format {@code tafel-chunks-v1}), uploads the ciphertext
   * once with an upload token from signaling, and sends one {@code file} message sealed for every
   * recipient. Recipients are looked up (and their pins checked) before anything is uploaded.
   */
  public SentFile sendFile(List<String> to, Path file, BlobClient blob, ProgressListener progress)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException,
          BlobException {
    for (String r : to) {
      signaling.lookup(r);
    }
    OutgoingFile f = OutgoingFile.prepare(file, options.random());
    String token = signaling.uploadToken(Math.max(1, f.ciphertextSize())).token();
    BlobClient.UploadResult u =
        blob.upload(
            f.source(), f.ciphertextSize(), token, BlobClient.UploadOptions.DEFAULTS, progress);
    byte[] id = sendFileMessage(to, f.message(u.blobId()));
    return new SentFile(u.blobId(), id, f.size(), f.sha256());
  }

  /**
   * Downloads a received file's blob, decrypts and verifies it (size and SHA-256 from the message)
   * into a new safe name in {@code dir} (never overwriting), then tells the store {@code done}.
   */
  public Path receiveFile(TafelEvent.File f, BlobClient blob, Path dir, ProgressListener progress)
      throws IOException, BlobException, ReceivedFiles.FileCheckException {
    Path tmp =
        Files.createTempFile(
            dir,
            ".tafel-",
            ".blob",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Path saved;
    try {
      blob.download(f.file().blobId(), tmp, progress);
      try (java.io.InputStream in = Files.newInputStream(tmp)) {
        saved = ReceivedFiles.save(in, f.file(), dir);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    blob.done(f.file().blobId());
    return saved;
  }

  /** The next event, or empty after {@code timeout}. */
  public Optional<TafelEvent> nextEvent(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  // ---------------------------------------------------------------- calls

  /**
   * Calls {@code callee}: offers over the relay, waits for the answer (up to the ring timeout),
   * connects, exchanges SRTP media for {@code hold} (or until the callee hangs up), hangs up.
   *
   * @throws CallNotAnsweredException declined, missed (the offer expired undelivered) or not
   *     answered in time
   */
  public CallResult call(String callee, Duration hold)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException,
          CallNotAnsweredException,
          RelayUnavailableException {
    signaling.lookup(callee); // an unknown ID or a changed key fails before the relay is used
    try (Call call = outgoingCall()) {
      BlockingQueue<Signal> q = new LinkedBlockingQueue<>();
      calls.put(call.callId(), q);
      try {
        byte[] offerId =
            signaling.send(
                List.of(callee), MessageType.CALL_OFFER, CallPayloads.encode(call.offer()));
        offerIds.put(b64(offerId), call.callId());
        CallPayload.Answer answer = awaitAnswer(callee, call, q);
        try {
          call.connect(answer);
        } catch (CallSetupException | IceFailedException e) {
          hangup(callee, call, HangupReason.FAILED);
          throw new CallNotAnsweredException(
              CallNotAnsweredException.Reason.FAILED,
              "the call did not connect: " + e.getMessage());
        }
        call.startMedia(options.mediaMarker(), options.mediaTap());
        long end = System.nanoTime() + hold.toNanos();
        while (System.nanoTime() < end) {
          Signal s = q.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (s != null && s.payload() instanceof CallPayload.Hangup && callee.equals(s.sender())) {
            break;
          }
        }
        call.stopSending();
        hangup(callee, call, HangupReason.NORMAL);
        return result(call, callee, call.hangup(Duration.ofMillis(500)));
      } finally {
        calls.remove(call.callId());
      }
    }
  }

  private CallPayload.Answer awaitAnswer(String callee, Call call, BlockingQueue<Signal> q)
      throws InterruptedException,
          CallNotAnsweredException,
          IOException,
          SignalingException,
          KeyChangedException,
          ProfileException {
    long end = System.nanoTime() + options.ringTimeout().toNanos();
    while (true) {
      long left = end - System.nanoTime();
      Signal s = left <= 0 ? null : q.poll(left, TimeUnit.NANOSECONDS);
      if (s == null) {
        hangup(callee, call, HangupReason.CANCELLED);
        throw new CallNotAnsweredException(
            CallNotAnsweredException.Reason.NO_ANSWER,
            "not answered within " + options.ringTimeout().toSeconds() + " s");
      }
      if (s.expired()) {
        throw new CallNotAnsweredException(
            CallNotAnsweredException.Reason.MISSED,
            "missed call: the callee was not online while the offer was valid (60 s)");
      }
      if (!callee.equals(s.sender())) {
        continue;
      }
      if (s.payload() instanceof CallPayload.Answer a) {
        return a;
      }
      if (s.payload() instanceof CallPayload.Hangup h) {
        boolean declined = h.reason() == HangupReason.DECLINED || h.reason() == HangupReason.BUSY;
        throw new CallNotAnsweredException(
            declined
                ? CallNotAnsweredException.Reason.DECLINED
                : CallNotAnsweredException.Reason.FAILED,
            "the callee hung up: " + h.reason().wireName());
      }
      // ringing: keep waiting
    }
  }

  /** Waits for a call offered to this client; empty after {@code timeout}. */
  public Optional<IncomingCall> awaitCall(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      IncomingCall c = left <= 0 ? null : incoming.poll(left, TimeUnit.NANOSECONDS);
      if (c == null) {
        return Optional.empty();
      }
      BlockingQueue<Signal> q = calls.get(c.callId());
      if (q != null && q.stream().noneMatch(s -> s.payload() instanceof CallPayload.Hangup)) {
        return Optional.of(c);
      }
      calls.remove(c.callId());
      events.add(new TafelEvent.MissedCall(c.caller(), c.callId()));
    }
  }

  /** Declines an offered call ({@code call-hangup} with reason {@code declined}). */
  public void decline(IncomingCall in)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException {
    calls.remove(in.callId());
    signaling.send(
        List.of(in.caller()),
        MessageType.CALL_HANGUP,
        CallPayloads.encode(new CallPayload.Hangup(in.callId(), HangupReason.DECLINED)));
  }

  /**
   * Answers: rings, allocates on the relay, answers, connects, exchanges media until the caller
   * hangs up (at most {@code maxDuration}), returns the statistics.
   */
  public CallResult answer(IncomingCall in, Duration maxDuration)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException,
          RelayUnavailableException,
          CallNotAnsweredException {
    BlockingQueue<Signal> q = calls.computeIfAbsent(in.callId(), k -> new LinkedBlockingQueue<>());
    try {
      send(in.caller(), new CallPayload.Ringing(in.callId()));
      try (Call call = incomingCall(in.offer())) {
        send(in.caller(), call.answer());
        try {
          call.connect();
        } catch (IceFailedException e) {
          hangup(in.caller(), call, HangupReason.FAILED);
          throw new CallNotAnsweredException(
              CallNotAnsweredException.Reason.FAILED,
              "the call did not connect: " + e.getMessage());
        }
        call.startMedia(options.mediaMarker(), options.mediaTap());
        long end = System.nanoTime() + maxDuration.toNanos();
        boolean callerHungUp = false;
        while (!callerHungUp && System.nanoTime() < end) {
          Signal s = q.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
          callerHungUp =
              s != null
                  && s.payload() instanceof CallPayload.Hangup
                  && in.caller().equals(s.sender());
        }
        call.stopSending();
        if (!callerHungUp) {
          hangup(in.caller(), call, HangupReason.NORMAL);
        }
        return result(call, in.caller(), call.hangup(Duration.ofMillis(500)));
      }
    } finally {
      calls.remove(in.callId());
    }
  }

  private interface CallSetup {
    Call start(IceConfig ice) throws IOException, RelayUnavailableException;
  }

  private Call outgoingCall()
      throws IOException, SignalingException, InterruptedException, RelayUnavailableException {
    return withRelay(
        true, ice -> Call.outgoing(ice, options.media(), options.clock(), options.random()));
  }

  private Call incomingCall(CallPayload.Offer offer)
      throws IOException, SignalingException, InterruptedException, RelayUnavailableException {
    return withRelay(
        false,
        ice -> Call.incoming(offer, ice, options.media(), options.clock(), options.random()));
  }

  // ice4j reports a failed allocation only by its absence; one retry with fresh credentials
  // rides over a relay that was briefly unreachable (a lost UDP burst, a restart)
  private Call withRelay(boolean controlling, CallSetup setup)
      throws IOException, SignalingException, InterruptedException, RelayUnavailableException {
    try {
      return setup.start(IceConfig.of(turnServer(), controlling));
    } catch (RelayUnavailableException e) {
      LOG.info("no relayed candidate; retrying once");
      Thread.sleep(500);
      return setup.start(IceConfig.of(turnServer(), controlling));
    }
  }

  private void hangup(String peer, Call call, HangupReason reason) {
    try {
      send(peer, call.hangupPayload(reason));
    } catch (Exception e) {
      LOG.debug("hangup not sent: {}", e.toString());
    }
  }

  private void send(String peer, CallPayload p)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException {
    signaling.send(List.of(peer), p.messageType(), CallPayloads.encode(p));
  }

  private static CallResult result(
      Call call, String peer, org.tafel.client.call.media.CallStats s) {
    return new CallResult(
        call.callId(),
        peer,
        s,
        call.connectedOverRelays(),
        call.selectedPair(),
        call.srtpProfile());
  }

  /** The first UDP TURN server from signaling's {@code turn-credentials}. */
  private TurnServer turnServer() throws IOException, SignalingException, InterruptedException {
    ServerFrame.TurnCredentials t;
    try {
      t = signaling.turnCredentials();
    } catch (SignalingException e) {
      if (e.code() == ErrorCode.UNAVAILABLE) {
        throw new SignalingException(
            e.wireCode(), "this server has no relay configured, so calls are not possible");
      }
      throw e;
    }
    for (String url : t.urls()) {
      TurnServer s = parseTurnUrl(url, t.username(), t.password());
      if (s != null) {
        return s;
      }
    }
    throw new IOException("the server offers no TURN relay over UDP: " + t.urls());
  }

  /** {@code turn:HOST:PORT[?transport=udp]} (RFC 7065) as a UDP TurnServer, else null. */
  static TurnServer parseTurnUrl(String url, String username, String password) {
    if (!url.startsWith("turn:")) {
      return null;
    }
    String rest = url.substring(5);
    int q = rest.indexOf('?');
    if (q >= 0) {
      String query = rest.substring(q + 1);
      rest = rest.substring(0, q);
      if (!query.isEmpty() && !query.equals("transport=udp")) {
        return null;
      }
    }
    String host;
    int port = 3478;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      host = rest.substring(1, close);
      if (rest.length() > close + 1 && rest.charAt(close + 1) == ':') {
        port = Integer.parseInt(rest.substring(close + 2));
      }
    } else {
      int colon = rest.lastIndexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      if (colon >= 0) {
        port = Integer.parseInt(rest.substring(colon + 1));
      }
    }
    return new TurnServer(host, port, username, password);
  }

  // ---------------------------------------------------------------- receiving

  /** Routes what the signaling client opened: texts and files to events, call payloads to calls. */
  private static final class Receiver implements SignalingListener {
    volatile TafelClient client;

    @Override
    public void message(OpenedMessage m) throws Exception {
      client.route(m);
    }

    @Override
    public void expired(byte[] messageId, String recipient) {
      String callId = client.offerIds.remove(b64(messageId));
      BlockingQueue<Signal> q = callId == null ? null : client.calls.get(callId);
      if (q != null) {
        q.add(new Signal(recipient, null, true));
      } else if (callId == null) {
        client.events.add(new TafelEvent.Expired(messageId, recipient));
      }
    }

    @Override
    public void rejected(String sender, MessageRejectedException reason) {
      LOG.debug("a message was refused: {}", reason.reason());
    }

    @Override
    public void keyChanged(KeyChangedException e) {
      LOG.warn("{}", e.getMessage());
    }

    @Override
    public void ended(SessionEndedException e) {
      client.events.add(new TafelEvent.Ended(e.getMessage()));
    }
  }

  private void route(OpenedMessage m) throws IOException {
    switch (m.type()) {
      case TEXT ->
          events.add(
              new TafelEvent.Text(
                  m.senderId(),
                  m.messageId(),
                  m.sentAt(),
                  new String(m.body(), StandardCharsets.UTF_8)));
      case FILE ->
          events.add(
              new TafelEvent.File(
                  m.senderId(), m.messageId(), m.sentAt(), FileMessage.fromJson(m.body())));
      case CALL_OFFER, CALL_RINGING, CALL_ANSWER, CALL_CANDIDATES, CALL_HANGUP -> {
        CallPayload p;
        try {
          p = CallPayloads.decode(m.type(), m.body());
        } catch (MalformedPayloadException e) {
          LOG.debug("a call payload was malformed: {}", e.getMessage());
          return;
        }
        if (p instanceof CallPayload.Offer o) {
          calls.putIfAbsent(o.callId(), new LinkedBlockingQueue<>());
          incoming.add(new IncomingCall(m.senderId(), o));
        } else {
          BlockingQueue<Signal> q = calls.get(p.callId());
          if (q != null) {
            q.add(new Signal(m.senderId(), p, false));
          }
        }
      }
      default -> {
        // typing indicators and the like: nothing to do here
      }
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  @Override
  public void close() {
    signaling.close();
    try {
      replay.close();
    } catch (IOException e) {
      LOG.debug("replay memory not closed cleanly: {}", e.toString());
    }
  }
}
