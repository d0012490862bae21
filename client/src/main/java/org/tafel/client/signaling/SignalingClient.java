package org.tafel.client.signaling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.client.Backoff;
import org.tafel.client.crypto.EnvelopeHeader;
import org.tafel.client.crypto.KeyChangedException;
import org.tafel.client.crypto.MessageCrypto;
import org.tafel.client.crypto.MessageRejectedException;
import org.tafel.client.crypto.MessageType;
import org.tafel.client.crypto.OpenedMessage;
import org.tafel.client.crypto.Profile;
import org.tafel.client.crypto.ProfileException;
import org.tafel.client.crypto.QueueClass;
import org.tafel.client.crypto.SealedMessage;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.FrameCodec;
import org.tafel.protocol.signaling.FrameException;
import org.tafel.protocol.signaling.Handshake;
import org.tafel.protocol.signaling.ProofOfWork;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;

/**
 * One identity's session with the signaling server (docs/protocol.md). {@link #start} connects,
 * checks the server's proof and pins its key, registers (licence code or proof-of-work, as the
 * server's {@code hello} asks) or logs in. Afterwards:
 *
 * <ul>
 *   <li>{@link #send} seals per recipient and returns once the server answered {@code sent}
 *       (durable); a send interrupted by a lost connection is repeated with the same message ID
 *       after the reconnect (the server stores a repeat once).
 *   <li>Delivered envelopes are opened ({@link MessageCrypto}: pin, box, header, replay memory),
 *       handed to the {@link SignalingListener}, then acknowledged; a re-delivery is acknowledged
 *       and dropped.
 *   <li>A lost connection is re-established with exponential backoff and jitter; a {@code replaced}
 *       (4001) or {@code revoked} (4002) close ends the session instead.
 * </ul>
 */
public final class SignalingClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SignalingClient.class);

  /**
   * Settings of one client.
   *
   * @param uri {@code ws://} or {@code wss://} URI of {@code /v1/ws}
   * @param licence the licence code for registration on a licence server, or null
   * @param requestTimeout how long a request (or a send, across reconnects) may take
   * @param minBackoff first reconnect delay (doubled per failed attempt, with jitter)
   * @param maxBackoff longest reconnect delay
   */
  public record Config(
      URI uri,
      String licence,
      Duration requestTimeout,
      Duration minBackoff,
      Duration maxBackoff,
      Clock clock,
      SecureRandom random) {
    public Config {
      String scheme = uri.getScheme();
      if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
        throw new IllegalArgumentException("uri: " + uri + " (expected: ws:// or wss://)");
      }
      if (requestTimeout.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException(
            "requestTimeout: " + requestTimeout + " (expected: >= 100ms)");
      }
      if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException(
            "backoff: " + minBackoff + ".." + maxBackoff + " (expected: 0 < min <= max)");
      }
    }

    /** 30 s per request, reconnect after 250 ms doubling up to 30 s, system clock. */
    public static Config of(URI uri, String licence) {
      return new Config(
          uri,
          licence,
          Duration.ofSeconds(30),
          Duration.ofMillis(250),
          Duration.ofSeconds(30),
          Clock.systemUTC(),
          new SecureRandom());
    }
  }

  private final Config config;
  private final Profile profile;
  private final MessageCrypto crypto;
  private final SignalingListener listener;
  private final FrameCodec codec = new FrameCodec();
  private final HttpClient http;
  private final ExecutorService dispatcher;
  private final ScheduledExecutorService timers;
  private final AtomicLong requestIds = new AtomicLong();
  private final List<Connection> open = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Object stateLock = new Object();
  private CompletableFuture<Connection> ready = new CompletableFuture<>();
  private volatile SessionEndedException ended;
  private volatile boolean reconnecting;
  private volatile long connections;

  private SignalingClient(
      Config config, Profile profile, MessageCrypto crypto, SignalingListener listener) {
    this.config = config;
    this.profile = profile;
    this.crypto = crypto;
    this.listener = listener;
    this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    this.dispatcher = Executors.newSingleThreadExecutor(r -> daemon(r, "tafel-signaling-dispatch"));
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tafel-signaling"));
  }

  /**
   * Connects and logs in (registering first if the profile has no ID yet).
   *
   * @throws ServerUnreachableException if no connection could be made
   * @throws KeyChangedException if the server's key differs from the pinned one
   * @throws SignalingException if the server refused registration or login
   */
  public static SignalingClient start(
      Config config, Profile profile, MessageCrypto crypto, SignalingListener listener)
      throws IOException,
          KeyChangedException,
          SignalingException,
          ProfileException,
          InterruptedException {
    SignalingClient c = new SignalingClient(config, profile, crypto, listener);
    try {
      c.connectAndLogin();
    } catch (IOException
        | KeyChangedException
        | SignalingException
        | ProfileException
        | InterruptedException
        | RuntimeException e) {
      c.shutdown();
      throw e;
    }
    c.timers.scheduleAtFixedRate(c::ping, 60, 60, TimeUnit.SECONDS);
    return c;
  }

  /** This identity's ID. */
  public String identity() {
    return profile.identityId().orElseThrow();
  }

  /** How many times a session was established (1 + reconnects). */
  public long connections() {
    return connections;
  }

  /** True while logged in over a live connection. */
  public boolean isConnected() {
    synchronized (stateLock) {
      return ready.isDone() && !ready.isCompletedExceptionally();
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * The directory's key for {@code identity}, pinned on first use.
   *
   * @throws KeyChangedException if it differs from the pinned key
   * @throws SignalingException {@code unknown-identity} if there is no such identity
   */
  public byte[] lookup(String identity)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException {
    ServerFrame.Key k =
        request(id -> new ClientFrame.Lookup(id, identity), ServerFrame.Key.class, null);
    profile.pinContact(identity, k.publicKey());
    return k.publicKey();
  }

  public ServerFrame.TurnCredentials turnCredentials()
      throws IOException, SignalingException, InterruptedException {
    return request(ClientFrame.TurnCredentials::new, ServerFrame.TurnCredentials.class, null);
  }

  /** A {@code ut1} token for one blob-store upload of at most {@code cap} bytes. */
  public ServerFrame.UploadToken uploadToken(long cap)
      throws IOException, SignalingException, InterruptedException {
    return request(id -> new ClientFrame.UploadToken(id, cap), ServerFrame.UploadToken.class, null);
  }

  /**
   * Seals {@code body} as {@code type} for every recipient (keys from the directory, checked
   * against their pins) and sends it as one envelope; returns the message ID once the server
   * answered {@code sent}.
   */
  public byte[] send(List<String> recipients, MessageType type, byte[] body)
      throws IOException,
          SignalingException,
          KeyChangedException,
          ProfileException,
          InterruptedException {
    List<MessageCrypto.Recipient> keyed = new ArrayList<>();
    for (String r : recipients) {
      keyed.add(new MessageCrypto.Recipient(r, lookup(r)));
    }
    Map<String, SealedMessage> sealed = crypto.sealForAll(keyed, type, body);
    List<ClientFrame.Recipient> boxes = new ArrayList<>();
    byte[] messageId = null;
    for (Map.Entry<String, SealedMessage> e : sealed.entrySet()) {
      boxes.add(
          new ClientFrame.Recipient(e.getKey(), e.getValue().nonce(), e.getValue().ciphertext()));
      messageId = e.getValue().messageId();
    }
    sendSealed(messageId, boxes, wire(type.queueClass()));
    return messageId;
  }

  /**
   * Sends an envelope whose boxes are already sealed; returns once {@code sent} arrived. After a
   * lost connection the same envelope (same message ID) is sent again on the next one.
   */
  public void sendSealed(
      byte[] messageId,
      List<ClientFrame.Recipient> boxes,
      org.tafel.protocol.signaling.QueueClass queue)
      throws IOException, SignalingException, InterruptedException {
    byte[] id = messageId.clone();
    request(rid -> new ClientFrame.Send(rid, id, boxes, queue, null), ServerFrame.Sent.class, null);
  }

  /**
   * Sends {@code frame} (made with a fresh request ID) on the current connection and waits for its
   * answer; a connection lost before the answer sends it again on the next one, until the request
   * timeout.
   */
  private <T extends ServerFrame> T request(
      Function<String, ClientFrame> frame, Class<T> answer, Connection only)
      throws IOException, SignalingException, InterruptedException {
    long deadline = System.nanoTime() + config.requestTimeout().toNanos();
    while (true) {
      Connection c = only != null ? only : awaitReady(deadline);
      String rid = "r" + requestIds.incrementAndGet();
      CompletableFuture<ServerFrame> f = new CompletableFuture<>();
      c.pending.put(rid, f);
      ServerFrame r;
      try {
        c.send(frame.apply(rid));
        r = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | IOException e) {
        c.pending.remove(rid);
        if (only != null || System.nanoTime() > deadline) {
          throw new ServerUnreachableException("connection lost before the answer", e);
        }
        continue; // retry on the next connection
      } catch (TimeoutException e) {
        c.pending.remove(rid);
        throw new ServerUnreachableException(
            "no answer within " + config.requestTimeout().toSeconds() + " s", e);
      }
      if (r instanceof ServerFrame.Error err) {
        throw new SignalingException(err.code(), err.message());
      }
      if (!answer.isInstance(r)) {
        throw new IOException(
            "unexpected answer " + r.getClass().getSimpleName() + " to a request");
      }
      return answer.cast(r);
    }
  }

  private Connection awaitReady(long deadline) throws IOException, InterruptedException {
    while (true) {
      SessionEndedException e = ended;
      if (e != null) {
        throw e;
      }
      CompletableFuture<Connection> r;
      synchronized (stateLock) {
        r = ready;
      }
      try {
        return r.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof SessionEndedException s) {
          throw s;
        }
        // a failed attempt; the reconnect loop installs a new future
        Thread.sleep(10);
      } catch (TimeoutException ex) {
        throw new ServerUnreachableException(
            "not connected to the signaling server within "
                + config.requestTimeout().toSeconds()
                + " s",
            ex);
      }
    }
  }

  // ---------------------------------------------------------------- connection

  private void connectAndLogin()
      throws IOException,
          KeyChangedException,
          SignalingException,
          ProfileException,
          InterruptedException {
    Connection c = new Connection();
    try {
      c.ws =
          http.newWebSocketBuilder()
              .connectTimeout(config.requestTimeout())
              .buildAsync(config.uri(), c)
              .get(config.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new ServerUnreachableException(
          "cannot connect to "
              + config.uri()
              + ": "
              + (cause.getMessage() == null
                  ? cause.getClass().getSimpleName()
                  : cause.getMessage()),
          cause);
    }
    boolean ok = false;
    try {
      handshake(c);
      ok = true;
    } finally {
      if (!ok) {
        c.abort();
      }
    }
    connections++;
    synchronized (stateLock) {
      if (ready.isDone()) {
        ready = new CompletableFuture<>();
      }
      ready.complete(c);
    }
    // from here a loss is this session's to handle; one lost during the login is handled now
    c.loggedIn = true;
    if (c.lost) {
      afterLoss(c);
    }
  }

  private void handshake(Connection c)
      throws IOException,
          KeyChangedException,
          SignalingException,
          ProfileException,
          InterruptedException {
    X25519.KeyPair eph = X25519.generate(config.random());
    ServerFrame.Hello hello =
        request(
            id -> new ClientFrame.Hello(id, Handshake.VERSION, eph.publicKey()),
            ServerFrame.Hello.class,
            c);
    Handshake.Transcript t =
        new Handshake.Transcript(
            eph.publicKey(), hello.ephemeral(), hello.challenge(), hello.serverKey());
    if (!Handshake.verifyServerProof(eph.secret(), t, hello.proof())) {
      throw new SignalingException(
          ErrorCode.BAD_LOGIN.wire(), "the server's proof for its key does not verify");
    }
    profile.pinServer(hello.serverKey());
    String me = profile.identityId().orElse(null);
    if (me == null) {
      byte[] pk = profile.publicKey();
      byte[] mac = profile.handshakeMac(Handshake.LABEL_REGISTER, eph.secret(), t, pk);
      String licence = null;
      Long pow = null;
      if ("licence".equals(hello.registration())) {
        if (config.licence() == null) {
          throw new SignalingException(
              ErrorCode.BAD_LICENCE.wire(),
              "this server registers only with a licence code from the school (--licence CODE)");
        }
        licence = config.licence();
      } else {
        int bits = hello.powBits() == null ? 0 : hello.powBits();
        pow = ProofOfWork.solve(hello.challenge(), pk, bits);
      }
      String lic = licence;
      Long p = pow;
      ServerFrame.Registered r =
          request(
              id -> new ClientFrame.Register(id, pk, lic, p, mac), ServerFrame.Registered.class, c);
      profile.setIdentityId(r.identity());
    } else {
      byte[] mac =
          profile.handshakeMac(Handshake.LABEL_LOGIN, eph.secret(), t, Handshake.loginSubject(me));
      request(id -> new ClientFrame.Login(id, me, mac), ServerFrame.Welcome.class, c);
    }
  }

  private void connectionLost(Connection c, int code, String reason) {
    if (c.lost) {
      return;
    }
    c.closeCode = code;
    c.lost = true;
    IOException lost = new IOException("connection closed (" + code + ")");
    c.pending.values().forEach(f -> f.completeExceptionally(lost));
    c.pending.clear();
    if (c.loggedIn) {
      afterLoss(c);
    } // else the login in progress fails, or connectAndLogin sees the loss when it ends
  }

  /** A logged-in connection was lost: end the session, or reconnect. Runs once per connection. */
  private void afterLoss(Connection c) {
    if (!c.lossHandled.compareAndSet(false, true)) {
      return;
    }
    int code = c.closeCode;
    synchronized (stateLock) {
      if (ready.isDone() && ready.getNow(null) == c) {
        ready = new CompletableFuture<>();
      }
    }
    if (code == CloseCodes.REPLACED || code == CloseCodes.REVOKED) {
      end(
          new SessionEndedException(
              code,
              code == CloseCodes.REPLACED
                  ? "another login of this identity took over (replaced); not reconnecting"
                  : "this identity was revoked; not reconnecting"));
      return;
    }
    if (ended == null) {
      LOG.info("signaling connection lost ({}); reconnecting", code);
      startReconnecting();
    }
  }

  private void end(SessionEndedException e) {
    if (ended != null) {
      return;
    }
    ended = e;
    synchronized (stateLock) {
      ready.completeExceptionally(e);
    }
    dispatcher.execute(() -> listener.ended(e));
  }

  /** Starts the reconnect loop unless it runs already. */
  private void startReconnecting() {
    synchronized (stateLock) {
      if (reconnecting) {
        return;
      }
      reconnecting = true;
    }
    scheduleReconnect(0);
  }

  private void scheduleReconnect(int attempt) {
    long delay =
        Backoff.delayMillis(config.minBackoff(), config.maxBackoff(), attempt, config.random());
    try {
      timers.schedule(() -> reconnect(attempt), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void reconnect(int attempt) {
    if (ended != null) {
      return;
    }
    try {
      connectAndLogin();
      LOG.info("signaling connection re-established");
      Connection now;
      synchronized (stateLock) {
        reconnecting = false;
        now = ready.getNow(null);
      }
      if (now == null || now.lost) {
        startReconnecting(); // lost again before the loop was marked done
      }
    } catch (KeyChangedException e) {
      end(new SessionEndedException(1000, "the server's key changed; refused: " + e.getMessage()));
    } catch (SignalingException e) {
      if (e.code() == ErrorCode.REVOKED || e.code() == ErrorCode.UNKNOWN_IDENTITY) {
        end(new SessionEndedException(CloseCodes.REVOKED, e.getMessage()));
      } else {
        scheduleReconnect(attempt + 1);
      }
    } catch (IOException | ProfileException | RuntimeException e) {
      LOG.debug("reconnect attempt {} failed: {}", attempt + 1, e.toString());
      scheduleReconnect(attempt + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void ping() {
    CompletableFuture<Connection> r;
    synchronized (stateLock) {
      r = ready;
    }
    Connection c = r.getNow(null);
    if (c != null && !c.lost) {
      c.ws.sendPing(ByteBuffer.allocate(0));
    }
  }

  // ---------------------------------------------------------------- receiving

  private void onPushed(Connection c, ServerFrame frame) {
    if (frame instanceof ServerFrame.Deliver d) {
      deliver(c, d);
    } else if (frame instanceof ServerFrame.Expired e) {
      listener.expired(e.messageId(), e.recipient());
      c.sendQuietly(new ClientFrame.Ack(null, e.messageId(), e.recipient()));
    }
    // acked and other id-less answers need no handling
  }

  private void deliver(Connection c, ServerFrame.Deliver d) {
    try {
      byte[] key = profile.contactKey(d.sender()).orElse(null);
      if (key == null) {
        ServerFrame.Key k =
            request(id -> new ClientFrame.Lookup(id, d.sender()), ServerFrame.Key.class, c);
        key = k.publicKey();
      }
      EnvelopeHeader header =
          new EnvelopeHeader(d.messageId(), d.sender(), d.nonce(), local(d.queue()));
      OpenedMessage m;
      try {
        m = crypto.open(header, key, d.box());
      } catch (MessageRejectedException e) {
        if (e.reason() != MessageRejectedException.Reason.REPLAYED) {
          listener.rejected(d.sender(), e);
        }
        m = null;
      }
      if (m != null) {
        listener.message(m);
      }
      c.sendQuietly(new ClientFrame.Ack(null, d.messageId(), null));
    } catch (KeyChangedException e) {
      listener.keyChanged(e);
    } catch (Exception e) {
      LOG.warn("a delivered message was not handled and stays queued: {}", e.toString());
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void close() {
    end(new SessionEndedException(1000, "closed"));
    shutdown();
  }

  /** Closes the current connection without ending the session (tests: a network failure). */
  void dropConnection() {
    CompletableFuture<Connection> r;
    synchronized (stateLock) {
      r = ready;
    }
    Connection c = r.getNow(null);
    if (c != null) {
      c.ws.abort();
      connectionLost(c, 1006, "dropped");
    }
  }

  private void shutdown() {
    timers.shutdownNow();
    for (Connection c : List.copyOf(open)) {
      c.close();
    }
    dispatcher.shutdown();
    try {
      dispatcher.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatcher.shutdownNow();
  }

  static org.tafel.protocol.signaling.QueueClass wire(QueueClass q) {
    return switch (q) {
      case NORMAL -> org.tafel.protocol.signaling.QueueClass.NORMAL;
      case SHORT_LIVED -> org.tafel.protocol.signaling.QueueClass.SHORT;
      case NO_QUEUE -> org.tafel.protocol.signaling.QueueClass.NONE;
    };
  }

  static QueueClass local(org.tafel.protocol.signaling.QueueClass q) {
    if (q == null) {
      return QueueClass.NORMAL;
    }
    return switch (q) {
      case NORMAL -> QueueClass.NORMAL;
      case SHORT -> QueueClass.SHORT_LIVED;
      case NONE -> QueueClass.NO_QUEUE;
    };
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One WebSocket connection; its answers are matched by request ID. */
  private final class Connection implements WebSocket.Listener {
    final Map<String, CompletableFuture<ServerFrame>> pending = new ConcurrentHashMap<>();
    final StringBuilder partial = new StringBuilder();
    volatile WebSocket ws;
    volatile boolean lost;
    volatile boolean loggedIn;
    volatile int closeCode = 1006;
    final java.util.concurrent.atomic.AtomicBoolean lossHandled =
        new java.util.concurrent.atomic.AtomicBoolean();

    Connection() {
      open.add(this);
    }

    synchronized void send(ClientFrame frame) throws IOException {
      if (lost) {
        throw new IOException("connection lost");
      }
      try {
        ws.sendText(codec.encode(frame), true)
            .get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("cannot send: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    void sendQuietly(ClientFrame frame) {
      try {
        send(frame);
      } catch (IOException e) {
        // the server delivers again after the reconnect
      }
    }

    void abort() {
      lost = true;
      open.remove(this);
      if (ws != null) {
        ws.abort();
      }
    }

    void close() {
      open.remove(this);
      boolean wasLost = lost;
      lost = true;
      pending.values().forEach(f -> f.completeExceptionally(new IOException("closed")));
      if (ws != null && !wasLost) {
        try {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
          // closing anyway
        }
        ws.abort();
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        handle(text);
      }
      webSocket.request(1);
      return null;
    }

    private void handle(String text) {
      ServerFrame frame;
      try {
        frame = codec.decodeServer(text);
      } catch (FrameException e) {
        LOG.warn("ignoring a frame from the server: {}", e.getMessage());
        return;
      }
      String id = requestId(frame);
      if (id != null) {
        CompletableFuture<ServerFrame> f = pending.remove(id);
        if (f != null) {
          f.complete(frame);
          return;
        }
      }
      try {
        dispatcher.execute(() -> onPushed(this, frame));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      open.remove(this);
      connectionLost(this, statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      open.remove(this);
      connectionLost(this, 1006, String.valueOf(error));
    }
  }

  private static String requestId(ServerFrame f) {
    if (f instanceof ServerFrame.Hello h) {
      return h.id();
    } else if (f instanceof ServerFrame.Registered r) {
      return r.id();
    } else if (f instanceof ServerFrame.Welcome w) {
      return w.id();
    } else if (f instanceof ServerFrame.Sent s) {
      return s.id();
    } else if (f instanceof ServerFrame.Acked a) {
      return a.id();
    } else if (f instanceof ServerFrame.Key k) {
      return k.id();
    } else if (f instanceof ServerFrame.TurnCredentials t) {
      return t.id();
    } else if (f instanceof ServerFrame.UploadToken u) {
      return u.id();
    } else if (f instanceof ServerFrame.Discovered d) {
      return d.id();
    } else if (f instanceof ServerFrame.FindableSet s) {
      return s.id();
    } else if (f instanceof ServerFrame.Error e) {
      return e.id();
    }
    return null;
  }
}
