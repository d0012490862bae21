package org.tafel.bench.signaling;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.FrameCodec;
import org.tafel.protocol.signaling.FrameException;
import org.tafel.protocol.signaling.Handshake;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.SignalingServer;

/**
 * Signaling load: N WebSocket clients (the JDK's) logged in to a {@link SignalingServer} on
 * loopback (in this JVM, over SQLite in a temp directory, group commit, {@code synchronous=FULL}),
 * each sending envelopes to random others, who ack them. Reports envelopes per second delivered and
 * the send→deliver latency (client send call to the recipient's {@code deliver}, which includes the
 * durable commit) at p50/p99/p99.9.
 *
 * <pre>
 * java -cp benchmarks/target/tafel-benchmarks.jar org.tafel.bench.signaling.SignalingLoad \
 *     --clients 1000 --rate 2000 --duration 30
 * </pre>
 *
 * {@code --rate R}: R envelopes per second in total, open loop (latency at a given load); {@code
 * --rate 0}: closed loop, each client keeps {@code --window} sends in flight (throughput).
 */
public final class SignalingLoad {
  private static final FrameCodec CODEC = new FrameCodec();
  private static final SecureRandom RANDOM = new SecureRandom();

  private int clients = 1000;
  private double rate = 2000;
  private int window = 1;
  private int seconds = 30;
  private int warmup = 5;
  private int size = 256;
  private QueueClass queue = QueueClass.NORMAL;
  private int serverThreads;

  private final AtomicLong sendsIssued = new AtomicLong();
  private final AtomicLong sentAnswers = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final long[] latencies = new long[20_000_000];
  private final AtomicInteger latencyCount = new AtomicInteger();
  private volatile boolean measuring;
  private volatile boolean sending = true;

  /** One client connection; sends are chained (the JDK allows one outstanding send). */
  final class Conn implements WebSocket.Listener {
    final X25519.KeyPair key = X25519.generate(RANDOM);
    String identity;
    WebSocket ws;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private final StringBuilder partial = new StringBuilder();
    volatile Consumer<ServerFrame> handler;

    synchronized void send(String text) {
      tail = tail.thenCompose(x -> ws.sendText(text, true));
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          handler.accept(CODEC.decodeServer(text));
        } catch (FrameException e) {
          errors.incrementAndGet();
        }
      }
      w.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      errors.incrementAndGet();
    }
  }

  public static void main(String[] args) throws Exception {
    SignalingLoad load = new SignalingLoad();
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--clients" -> load.clients = Integer.parseInt(v);
        case "--rate" -> load.rate = Double.parseDouble(v);
        case "--window" -> load.window = Integer.parseInt(v);
        case "--duration" -> load.seconds = Integer.parseInt(v);
        case "--warmup" -> load.warmup = Integer.parseInt(v);
        case "--size" -> load.size = Integer.parseInt(v);
        case "--queue" -> load.queue = QueueClass.valueOf(v.toUpperCase());
        case "--server-threads" -> load.serverThreads = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    load.run();
    System.exit(0);
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("tafel-signaling-load");
    SignalingConfig.Limits limits =
        SignalingConfig.Limits.defaults()
            .withQueueDepth(1_000_000)
            .withRates(1e6, 1_000_000)
            .withRegistrationsPerAddressPerHour(10_000_000);
    SignalingConfig config =
        SignalingConfig.builder(dir, X25519.generate(RANDOM).secret())
            .bind(InetAddress.getLoopbackAddress())
            .port(0)
            .registration(SignalingConfig.Registration.OPEN, 0)
            .limits(limits)
            .threads(serverThreads)
            .build();
    MetricsRegistry metrics = new MetricsRegistry();
    try (SignalingServer server = new SignalingServer(config, metrics, Clock.systemUTC())) {
      server.start();
      URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
      ExecutorService clientPool = Executors.newFixedThreadPool(2);
      HttpClient http = HttpClient.newBuilder().executor(clientPool).build();
      long t0 = System.nanoTime();
      List<Conn> conns = connectAll(http, uri);
      System.out.printf(
          "%d clients registered and logged in in %.1f s%n",
          conns.size(), (System.nanoTime() - t0) / 1e9);
      for (Conn c : conns) {
        c.handler = f -> onFrame(c, conns, f);
      }
      Thread driver = new Thread(() -> drive(conns), "load-driver");
      driver.setDaemon(true);
      driver.start();
      Thread.sleep(warmup * 1000L);
      long commits0 = metric(metrics, "tafel_signaling_commits_total");
      long writes0 = metric(metrics, "tafel_signaling_committed_writes_total");
      long delivered0 = delivered.get();
      long issued0 = sendsIssued.get();
      measuring = true;
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      measuring = false;
      double elapsed = (System.nanoTime() - start) / 1e9;
      long deliveredN = delivered.get() - delivered0;
      long issuedN = sendsIssued.get() - issued0;
      long commits = metric(metrics, "tafel_signaling_commits_total") - commits0;
      long writes = metric(metrics, "tafel_signaling_committed_writes_total") - writes0;
      sending = false;
      int n = latencyCount.get();
      long[] lat = Arrays.copyOf(latencies, Math.min(n, latencies.length));
      Arrays.sort(lat);
      System.out.printf(
          "clients=%d mode=%s size=%dB queue=%s duration=%ds%n",
          conns.size(),
          rate > 0 ? "open loop " + (long) rate + "/s" : "closed loop window " + window,
          size,
          queue.name().toLowerCase(),
          seconds);
      System.out.printf(
          "sends issued %.0f/s, envelopes delivered %.0f/s (%d in %.1f s)%n",
          issuedN / elapsed, deliveredN / elapsed, deliveredN, elapsed);
      System.out.printf(
          "send->deliver latency ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%d)%n",
          q(lat, 0.50), q(lat, 0.99), q(lat, 0.999), q(lat, 1.0), lat.length);
      System.out.printf(
          "store: %d commits, %.1f writes per commit (sends + acks), errors %d%n",
          commits, commits == 0 ? 0.0 : (double) writes / commits, errors.get());
      for (Conn c : conns) {
        c.ws.abort();
      }
      clientPool.shutdownNow();
    }
  }

  private List<Conn> connectAll(HttpClient http, URI uri) throws Exception {
    List<Conn> conns = new ArrayList<>();
    ExecutorService setup = Executors.newFixedThreadPool(16);
    List<CompletableFuture<Conn>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      futures.add(CompletableFuture.supplyAsync(() -> connect(http, uri), setup));
    }
    for (CompletableFuture<Conn> f : futures) {
      conns.add(f.get(120, TimeUnit.SECONDS));
    }
    setup.shutdown();
    return conns;
  }

  private Conn connect(HttpClient http, URI uri) {
    try {
      Conn c = new Conn();
      BlockingQueue<ServerFrame> q = new LinkedBlockingQueue<>();
      c.handler = q::add;
      c.ws = http.newWebSocketBuilder().buildAsync(uri, c).get(30, TimeUnit.SECONDS);
      X25519.KeyPair eph = X25519.generate(RANDOM);
      c.send(CODEC.encode(new ClientFrame.Hello("1", Handshake.VERSION, eph.publicKey())));
      ServerFrame.Hello h = (ServerFrame.Hello) q.poll(30, TimeUnit.SECONDS);
      Handshake.Transcript t =
          new Handshake.Transcript(eph.publicKey(), h.ephemeral(), h.challenge(), h.serverKey());
      byte[] mac =
          Handshake.clientMac(
              Handshake.LABEL_REGISTER, c.key.secret(), eph.secret(), t, c.key.publicKey());
      c.send(CODEC.encode(new ClientFrame.Register("2", c.key.publicKey(), null, 0L, mac)));
      ServerFrame r = q.poll(30, TimeUnit.SECONDS);
      if (!(r instanceof ServerFrame.Registered reg)) {
        throw new IllegalStateException("register: " + r);
      }
      c.identity = reg.identity();
      return c;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void onFrame(Conn c, List<Conn> conns, ServerFrame f) {
    if (f instanceof ServerFrame.Deliver d) {
      long sentAt = ByteBuffer.wrap(d.box()).getLong();
      if (measuring) {
        int i = latencyCount.getAndIncrement();
        if (i < latencies.length) {
          latencies[i] = System.nanoTime() - sentAt;
        }
      }
      delivered.incrementAndGet();
      c.send(CODEC.encode(new ClientFrame.Ack(null, d.messageId(), null)));
    } else if (f instanceof ServerFrame.Sent) {
      sentAnswers.incrementAndGet();
      if (rate <= 0 && sending) {
        sendOne(c, conns);
      }
    } else if (f instanceof ServerFrame.Error) {
      errors.incrementAndGet();
    }
  }

  private void drive(List<Conn> conns) {
    if (rate <= 0) {
      for (int w = 0; w < window; w++) {
        for (Conn c : conns) {
          sendOne(c, conns);
        }
      }
      return;
    }
    long start = System.nanoTime();
    long done = 0;
    while (sending) {
      long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
      while (done < due) {
        sendOne(conns.get(ThreadLocalRandom.current().nextInt(conns.size())), conns);
        done++;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sendOne(Conn from, List<Conn> conns) {
    Conn to;
    do {
      to = conns.get(ThreadLocalRandom.current().nextInt(conns.size()));
    } while (to == from);
    byte[] box = new byte[size];
    ByteBuffer.wrap(box).putLong(System.nanoTime());
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    from.send(
        CODEC.encode(
            new ClientFrame.Send(
                null,
                id,
                List.of(new ClientFrame.Recipient(to.identity, new byte[24], box)),
                queue,
                null)));
    sendsIssued.incrementAndGet();
  }

  private static double q(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i] / 1e6;
  }

  private static long metric(MetricsRegistry metrics, String name) {
    StringBuilder sb = new StringBuilder();
    metrics.writeText(sb);
    for (String line : sb.toString().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return 0;
  }
}
