package org.tafel.signaling.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.FrameCodec;
import org.tafel.protocol.signaling.FrameException;
import org.tafel.protocol.signaling.Handshake;
import org.tafel.protocol.signaling.ProofOfWork;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;

/**
 * A signaling client for tests and load tools, on the JDK's {@link java.net.http.WebSocket} (a
 * WebSocket implementation nobody here wrote). It speaks the protocol with the same {@link
 * Handshake} math a real client uses, and can also send raw text to misbehave.
 */
public final class WsClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final FrameCodec CODEC = new FrameCodec();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebSocket socket;
  private final BlockingQueue<Object> inbox;
  private final List<ServerFrame> stash = new ArrayList<>();
  private final CompletableFuture<Integer> closed;
  private X25519.KeyPair ephemeral;
  private ServerFrame.Hello serverHello;
  private Handshake.Transcript transcript;
  private String identity;
  private int nextId;

  private WsClient(
      WebSocket socket, BlockingQueue<Object> inbox, CompletableFuture<Integer> closed) {
    this.socket = socket;
    this.inbox = inbox;
    this.closed = closed;
  }

  public static WsClient connect(URI uri) {
    return connect(HTTP, uri);
  }

  /** Connects over TLS trusting {@code ssl}'s trust store. */
  public static WsClient connect(SSLContext ssl, URI uri) {
    return connect(HttpClient.newBuilder().sslContext(ssl).build(), uri);
  }

  private static WsClient connect(HttpClient http, URI uri) {
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              String text = partial.toString();
              partial.setLength(0);
              try {
                inbox.add(CODEC.decodeServer(text));
              } catch (FrameException e) {
                inbox.add(new IllegalStateException("undecodable server frame: " + text, e));
              }
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
          }
        };
    try {
      WebSocket ws =
          http.newWebSocketBuilder()
              .connectTimeout(TIMEOUT)
              .buildAsync(uri, listener)
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new WsClient(ws, inbox, closed);
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to " + uri + ": " + e, e);
    }
  }

  /** The server's answer to the last {@link #hello()}. */
  public ServerFrame.Hello serverHello() {
    return serverHello;
  }

  public String identity() {
    return identity;
  }

  public String nextId() {
    return Integer.toString(++nextId);
  }

  public void send(ClientFrame frame) {
    sendText(CODEC.encode(frame));
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  public void sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).join();
  }

  /** The next frame that {@code accept} takes; earlier others are kept for later calls. */
  public ServerFrame expect(Predicate<ServerFrame> accept) {
    for (Iterator<ServerFrame> it = stash.iterator(); it.hasNext(); ) {
      ServerFrame f = it.next();
      if (accept.test(f)) {
        it.remove();
        return f;
      }
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Object o;
      try {
        o = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
      if (o == null) {
        throw new AssertionError(
            "no expected frame within "
                + TIMEOUT
                + "; held: "
                + stash
                + "; closed: "
                + closeCode());
      }
      if (o instanceof RuntimeException e) {
        throw e;
      }
      ServerFrame f = (ServerFrame) o;
      if (accept.test(f)) {
        return f;
      }
      stash.add(f);
    }
  }

  public <T extends ServerFrame> T expect(Class<T> type) {
    return type.cast(expect(type::isInstance));
  }

  /** The next error frame; fails if its code is not {@code code}. */
  public ServerFrame.Error expectError(ErrorCode code) {
    ServerFrame.Error e = expect(ServerFrame.Error.class);
    if (!e.code().equals(code.wire())) {
      throw new AssertionError("expected error " + code.wire() + " but got " + e);
    }
    return e;
  }

  /** Frames received but not yet taken, including those arriving within {@code wait}. */
  public List<ServerFrame> drain(Duration wait) {
    List<ServerFrame> out = new ArrayList<>(stash);
    stash.clear();
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      Object o;
      while ((o = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
          != null) {
        if (o instanceof ServerFrame f) {
          out.add(f);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** Sends hello with a fresh ephemeral key; checks the server's proof; returns its answer. */
  public ServerFrame.Hello hello() {
    ephemeral = X25519.generate(RANDOM);
    send(new ClientFrame.Hello(nextId(), Handshake.VERSION, ephemeral.publicKey()));
    serverHello = expect(ServerFrame.Hello.class);
    transcript =
        new Handshake.Transcript(
            ephemeral.publicKey(),
            serverHello.ephemeral(),
            serverHello.challenge(),
            serverHello.serverKey());
    if (!Handshake.verifyServerProof(ephemeral.secret(), transcript, serverHello.proof())) {
      throw new AssertionError("server proof does not verify");
    }
    return serverHello;
  }

  /** The login frame for this connection's transcript (after {@link #hello()}). */
  public ClientFrame.Login loginFrame(String id, X25519.KeyPair key) {
    byte[] mac =
        Handshake.clientMac(
            Handshake.LABEL_LOGIN,
            key.secret(),
            ephemeral.secret(),
            transcript,
            Handshake.loginSubject(id));
    return new ClientFrame.Login(nextId(), id, mac);
  }

  /** The register frame for this connection (after {@link #hello()}), solving the PoW if asked. */
  public ClientFrame.Register registerFrame(X25519.KeyPair key, String licence) {
    byte[] mac =
        Handshake.clientMac(
            Handshake.LABEL_REGISTER,
            key.secret(),
            ephemeral.secret(),
            transcript,
            key.publicKey());
    Long pow = null;
    if ("open".equals(serverHello.registration())) {
      pow = ProofOfWork.solve(serverHello.challenge(), key.publicKey(), serverHello.powBits());
    }
    return new ClientFrame.Register(nextId(), key.publicKey(), licence, pow, mac);
  }

  /** hello + register; returns the new identity ID. */
  public String register(X25519.KeyPair key, String licence) {
    hello();
    send(registerFrame(key, licence));
    ServerFrame f =
        expect(x -> x instanceof ServerFrame.Registered || x instanceof ServerFrame.Error);
    if (f instanceof ServerFrame.Error e) {
      throw new AssertionError("register refused: " + e);
    }
    identity = ((ServerFrame.Registered) f).identity();
    return identity;
  }

  /** hello + login. */
  public ServerFrame.Welcome login(String id, X25519.KeyPair key) {
    hello();
    send(loginFrame(id, key));
    ServerFrame f = expect(x -> x instanceof ServerFrame.Welcome || x instanceof ServerFrame.Error);
    if (f instanceof ServerFrame.Error e) {
      throw new AssertionError("login refused: " + e);
    }
    identity = id;
    return (ServerFrame.Welcome) f;
  }

  /** Sends one envelope (random nonce) to {@code recipients}, each the same box; returns its ID. */
  public byte[] sendEnvelope(QueueClass queue, byte[] box, String... recipients) {
    byte[] messageId = new byte[16];
    RANDOM.nextBytes(messageId);
    sendEnvelope(messageId, queue, box, recipients);
    return messageId;
  }

  public void sendEnvelope(byte[] messageId, QueueClass queue, byte[] box, String... recipients) {
    List<ClientFrame.Recipient> rs = new ArrayList<>();
    for (String r : recipients) {
      byte[] nonce = new byte[24];
      RANDOM.nextBytes(nonce);
      rs.add(new ClientFrame.Recipient(r, nonce, box));
    }
    send(new ClientFrame.Send(nextId(), messageId, rs, queue, null));
  }

  /** The close code once the server closed the connection, or null while open. */
  public Integer closeCode() {
    return closed.getNow(null);
  }

  public int awaitClose() {
    try {
      return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection not closed within " + TIMEOUT, e);
    }
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        // already closing
      }
    }
    socket.abort();
  }
}
