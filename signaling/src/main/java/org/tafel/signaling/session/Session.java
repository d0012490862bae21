package org.tafel.signaling.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.FrameException;
import org.tafel.protocol.signaling.Handshake;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.delivery.Mailbox;
import org.tafel.signaling.directory.Registrar;
import org.tafel.signaling.store.Identity;
import org.tafel.signaling.store.Receipt;
import org.tafel.signaling.store.StoredEnvelope;

/**
 * One connection: handshake, login or registration, then requests. Every method except {@link
 * #offer}, {@link #offerReceipt} and {@link #replaced} runs on the channel's event loop.
 *
 * <p>Delivery: at login the session registers as the identity's live one, then pages the queue from
 * the store in order ({@link #PAGE} at a time, the next page only while the channel is writable);
 * envelopes committed meanwhile wait in {@code pending} and follow, each at most once (by store
 * sequence number). An envelope past its expiry is never delivered.
 */
public final class Session implements Mailbox {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  static final int PAGE = 256;

  private enum Phase {
    NEW,
    HELLO,
    AUTHENTICATING,
    LOGGED_IN,
    CLOSED
  }

  private final Channel channel;
  private final SessionContext ctx;
  private final Requests requests = new Requests(this);
  private final InetAddress address;
  private Phase phase = Phase.NEW;
  private X25519.KeyPair ephemeral;
  private Handshake.Transcript transcript;
  private boolean challengeUsed;
  private volatile String identity;

  /** Requests other than send and ack (store reads, credentials): 50/s, bursts of 500. */
  private final org.tafel.signaling.delivery.TokenBucket requestBucket;

  private boolean loaded;
  private long lastSeq;
  private boolean loadWhenWritable;
  private final ArrayDeque<StoredEnvelope> pending = new ArrayDeque<>();

  public Session(Channel channel, SessionContext ctx, InetAddress address) {
    this.channel = channel;
    this.ctx = ctx;
    this.address = address;
    this.requestBucket = new org.tafel.signaling.delivery.TokenBucket(50, 500, ctx.clock());
  }

  // ---- inbound --------------------------------------------------------------------------------

  public void handle(ClientFrame frame) {
    if (phase == Phase.CLOSED) {
      return;
    }
    if (frame instanceof ClientFrame.Hello h) {
      hello(h);
    } else if (frame instanceof ClientFrame.Login l) {
      login(l);
    } else if (frame instanceof ClientFrame.Register r) {
      register(r);
    } else if (phase != Phase.LOGGED_IN) {
      error(frame.id(), ErrorCode.NOT_AUTHENTICATED, "log in first");
    } else {
      request(frame);
    }
  }

  /** A frame that did not decode: answer its error; the connection stays. */
  public void refuse(FrameException e) {
    error(e.requestId(), e.code(), e.getMessage());
  }

  private void request(ClientFrame frame) {
    if (frame instanceof ClientFrame.Send s) {
      requests.send(s);
      return;
    }
    if (frame instanceof ClientFrame.Ack a) {
      requests.ack(a);
      return;
    }
    if (!requestBucket.tryTake()) {
      error(frame.id(), ErrorCode.RATE_LIMITED, "too many requests; retry later");
      return;
    }
    if (frame instanceof ClientFrame.Lookup l) {
      requests.lookup(l);
    } else if (frame instanceof ClientFrame.TurnCredentials t) {
      requests.turnCredentials(t);
    } else if (frame instanceof ClientFrame.UploadToken u) {
      requests.uploadToken(u);
    } else if (frame instanceof ClientFrame.Discover d) {
      requests.discover(d);
    } else if (frame instanceof ClientFrame.Findable f) {
      requests.findable(f);
    }
  }

  // ---- handshake ------------------------------------------------------------------------------

  private void hello(ClientFrame.Hello h) {
    if (phase != Phase.NEW) {
      error(h.id(), ErrorCode.MALFORMED, "hello: already received on this connection");
      return;
    }
    if (h.v() != Handshake.VERSION) {
      error(
          h.id(),
          ErrorCode.UNSUPPORTED_VERSION,
          "v: " + h.v() + " (expected: " + Handshake.VERSION + ")");
      return;
    }
    byte[] challenge = new byte[Handshake.CHALLENGE_BYTES];
    ctx.random().nextBytes(challenge);
    X25519.KeyPair eph = X25519.generate(ctx.random());
    Handshake.Transcript t =
        new Handshake.Transcript(
            h.ephemeral(), eph.publicKey(), challenge, ctx.serverKey().publicKey());
    byte[] proof;
    try {
      proof = Handshake.serverProof(ctx.serverKey().secret(), t);
    } catch (IllegalArgumentException e) {
      error(h.id(), ErrorCode.MALFORMED, "ephemeral: " + e.getMessage());
      return;
    }
    ephemeral = eph;
    transcript = t;
    phase = Phase.HELLO;
    Registrar r = ctx.registrar();
    boolean open = r.mode() == SignalingConfig.Registration.OPEN;
    emit(
        new ServerFrame.Hello(
            h.id(),
            Handshake.VERSION,
            ctx.serverKey().publicKey(),
            eph.publicKey(),
            challenge,
            proof,
            r.mode().wire(),
            open ? r.powBits() : null),
        true);
  }

  /** Checks the phase for register/login and takes the challenge; null when refused. */
  private X25519.KeyPair takeChallenge(String requestId) {
    if (phase == Phase.LOGGED_IN) {
      error(requestId, ErrorCode.ALREADY_AUTHENTICATED, "already logged in");
      return null;
    }
    if (phase == Phase.NEW) {
      error(requestId, ErrorCode.HELLO_REQUIRED, "send hello first");
      return null;
    }
    if (challengeUsed) {
      error(
          requestId,
          ErrorCode.CHALLENGE_USED,
          "this connection's challenge was used; reconnect for a new one");
      return null;
    }
    challengeUsed = true;
    phase = Phase.AUTHENTICATING;
    X25519.KeyPair eph = ephemeral;
    ephemeral = null; // forward secrecy: the ephemeral secret is used once
    return eph;
  }

  private void login(ClientFrame.Login l) {
    X25519.KeyPair eph = takeChallenge(l.id());
    if (eph == null) {
      return;
    }
    Handshake.Transcript t = transcript;
    offload(
        () -> {
          Optional<Identity> found = ctx.identities().find(l.identity());
          if (found.isEmpty()) {
            return ctx.identities().isRevoked(l.identity())
                ? ErrorCode.REVOKED
                : ErrorCode.UNKNOWN_IDENTITY;
          }
          boolean ok =
              Handshake.verifyClientMac(
                  Handshake.LABEL_LOGIN,
                  eph.secret(),
                  found.get().publicKey(),
                  t,
                  Handshake.loginSubject(l.identity()),
                  l.mac());
          return ok ? null : ErrorCode.BAD_LOGIN;
        },
        err -> {
          if (err != null) {
            phase = Phase.HELLO;
            error(l.id(), err, loginMessage(err));
            return;
          }
          ctx.metrics().login();
          loggedIn(
              l.identity(),
              new ServerFrame.Welcome(l.id(), l.identity(), ctx.config().discoveryKey()));
        });
  }

  private static String loginMessage(ErrorCode err) {
    return switch (err) {
      case BAD_LOGIN -> "the MAC does not verify for this identity and connection";
      case REVOKED -> "this identity has been revoked";
      case UNKNOWN_IDENTITY -> "no identity with this ID";
      default -> err.description();
    };
  }

  private void register(ClientFrame.Register r) {
    if (phase == Phase.HELLO && !challengeUsed && !ctx.registrar().allow(address)) {
      error(r.id(), ErrorCode.REGISTRATION_LIMITED, "too many registrations; retry later");
      return;
    }
    X25519.KeyPair eph = takeChallenge(r.id());
    if (eph == null) {
      return;
    }
    Handshake.Transcript t = transcript;
    if (!Handshake.verifyClientMac(
        Handshake.LABEL_REGISTER, eph.secret(), r.publicKey(), t, r.publicKey(), r.mac())) {
      phase = Phase.HELLO;
      error(r.id(), ErrorCode.BAD_LOGIN, "the registration MAC does not verify for this key");
      return;
    }
    offload(
        () -> ctx.registrar().register(r.publicKey(), r.licence(), r.pow(), t.challenge()),
        result -> {
          if (result.error() != null) {
            phase = Phase.HELLO;
            error(r.id(), result.error(), result.error().description());
            return;
          }
          ctx.metrics().registered();
          String id = result.identity().id();
          loggedIn(id, new ServerFrame.Registered(r.id(), id, ctx.config().discoveryKey()));
        });
  }

  private void loggedIn(String id, ServerFrame answer) {
    if (phase == Phase.CLOSED) {
      return;
    }
    identity = id;
    phase = Phase.LOGGED_IN;
    transcript = null;
    Session old = ctx.registry().put(id, this);
    if (old != null && old != this) {
      old.replaced();
    }
    emit(answer, true);
    offload(
        () -> ctx.envelopes().receipts(id, ctx.clock().millis(), 1000),
        receipts -> {
          for (Receipt r : receipts) {
            deliverReceipt(r, false);
          }
          loadPage();
        });
  }

  // ---- delivery -------------------------------------------------------------------------------

  private void loadPage() {
    String id = identity;
    long after = lastSeq;
    offload(() -> ctx.envelopes().queued(id, after, ctx.clock().millis(), PAGE), this::pageLoaded);
  }

  private void pageLoaded(List<StoredEnvelope> page) {
    if (phase != Phase.LOGGED_IN) {
      return;
    }
    for (StoredEnvelope e : page) {
      deliver(e, false);
    }
    if (page.size() == PAGE) {
      channel.flush();
      if (channel.isWritable()) {
        loadPage();
      } else {
        loadWhenWritable = true;
      }
      return;
    }
    loaded = true;
    StoredEnvelope e;
    while ((e = pending.poll()) != null) {
      deliver(e, false);
    }
    channel.flush();
  }

  /** Called on the event loop when the channel's writability changes. */
  public void writabilityChanged() {
    if (loadWhenWritable && channel.isWritable() && phase == Phase.LOGGED_IN) {
      loadWhenWritable = false;
      loadPage();
    }
  }

  @Override
  public void offer(StoredEnvelope envelope) {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (phase != Phase.LOGGED_IN) {
                return;
              }
              if (!loaded) {
                pending.add(envelope);
              } else {
                deliver(envelope, true);
              }
            });
  }

  @Override
  public void offerReceipt(Receipt receipt) {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (phase == Phase.LOGGED_IN) {
                deliverReceipt(receipt, true);
              }
            });
  }

  private void deliver(StoredEnvelope e, boolean flush) {
    if (e.seq() > 0) {
      if (e.seq() <= lastSeq) {
        return; // already delivered on this connection
      }
      lastSeq = e.seq();
    }
    if (e.expires() <= ctx.clock().millis()) {
      return; // expired: the sweeper turns it into a receipt
    }
    emit(
        new ServerFrame.Deliver(
            e.messageId(), e.sender(), e.nonce(), e.box(), e.queue(), e.arrived()),
        flush);
    ctx.metrics().delivered();
  }

  private void deliverReceipt(Receipt r, boolean flush) {
    emit(new ServerFrame.Expired(r.messageId(), r.recipient()), flush);
    ctx.metrics().receiptDelivered();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** Runs {@code work} on the store executor and {@code then} with its result on the event loop. */
  <T> void offload(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> then) {
    ctx.storeExecutor()
        .execute(
            () -> {
              T result;
              try {
                result = work.call();
              } catch (Exception e) {
                LOG.warn("store request failed: {}", e.toString());
                channel
                    .eventLoop()
                    .execute(
                        () -> {
                          if (phase == Phase.AUTHENTICATING) {
                            phase = Phase.HELLO;
                          }
                          error(null, ErrorCode.INTERNAL, "store unavailable; retry later");
                        });
                return;
              }
              channel.eventLoop().execute(() -> then.accept(result));
            });
  }

  void error(String requestId, ErrorCode code, String message) {
    ctx.metrics().error(code);
    emit(new ServerFrame.Error(requestId, code, message), true);
  }

  void emit(ServerFrame frame, boolean flush) {
    if (!channel.isActive()) {
      return;
    }
    TextWebSocketFrame f = new TextWebSocketFrame(ctx.codec().encode(frame));
    if (flush) {
      channel.writeAndFlush(f, channel.voidPromise());
    } else {
      channel.write(f, channel.voidPromise());
    }
  }

  void emitFromAnyThread(ServerFrame frame) {
    if (channel.isActive()) {
      channel.writeAndFlush(
          new TextWebSocketFrame(ctx.codec().encode(frame)), channel.voidPromise());
    }
  }

  SessionContext context() {
    return ctx;
  }

  /** The logged-in identity, or null. */
  String identity() {
    return identity;
  }

  /** {@link #closeWith} from any thread. */
  void closeFromAnyThread(int code, String reason) {
    channel.eventLoop().execute(() -> closeWith(code, reason));
  }

  /** Another connection logged in as this identity: close with {@code replaced}. Any thread. */
  void replaced() {
    channel
        .eventLoop()
        .execute(
            () -> {
              ctx.metrics().replaced();
              closeWith(CloseCodes.REPLACED, "replaced");
            });
  }

  /** Sends a close frame with {@code code} and closes the channel. */
  public void closeWith(int code, String reason) {
    String id = identity;
    phase = Phase.CLOSED;
    if (id != null) {
      ctx.registry().remove(id, this);
    }
    if (channel.isActive()) {
      channel
          .writeAndFlush(new CloseWebSocketFrame(code, reason))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The channel closed. */
  public void closed() {
    String id = identity;
    phase = Phase.CLOSED;
    pending.clear();
    if (id != null) {
      ctx.registry().remove(id, this);
    }
  }

  public boolean loggedIn() {
    return phase == Phase.LOGGED_IN;
  }
}
