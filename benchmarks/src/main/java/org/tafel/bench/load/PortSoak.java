package org.tafel.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.tafel.protocol.stun.StunMethod;

/**
 * Port-leak soak (issue 6 target 4): keeps creating allocations past the relay's port range, in a
 * mix of ways clients end them, and checks that every port comes back.
 *
 * <pre>
 * java -cp benchmarks/target/tafel-benchmarks.jar org.tafel.bench.load.PortSoak \
 *     --server 127.0.0.1:36780 --secret s3cret --peer 127.0.0.1:36800 \
 *     --metrics http://127.0.0.1:36781/metrics --seconds 600 [--rate 100] [--settle 40]
 * </pre>
 *
 * <p>Every 100 ms it starts {@code rate/10} sessions, kinds in turn: <b>free-now</b> (UDP,
 * Allocate, Refresh 0), <b>abandon</b> (UDP, Allocate + CreatePermission + ChannelBind, socket
 * closed, never refreshed), <b>data-free</b> (UDP, bound, 20 datagrams/s for 5 s while refreshing
 * the allocation and the channel every 2 s, then Refresh 0), <b>tcp-drop</b> (TCP, bound, data for
 * 0–2 s, then the connection is reset), <b>abandon-alloc</b> (UDP, Allocate only, socket closed),
 * <b>tcp-race</b> (TCP, reset 0–3 ms after the first Allocate was sent, i.e. often while the relay
 * is answering). Counts every 508 and its latency (signed Allocate sent → 508 received); a request
 * that gets no answer after all retransmissions (~16 s) is a hang. Afterwards it closes everything,
 * waits up to {@code --settle} seconds for the relay's gauges {@code tafel_relay_ports_in_use} and
 * {@code tafel_relay_allocations_active} to reach 0, and exits 1 if they do not, if any 508 took 1
 * s or more, if any Allocate hung, or if no 508 was seen at all.
 */
public final class PortSoak {
  private PortSoak() {}

  enum Kind {
    FREE_NOW,
    ABANDON,
    DATA_FREE,
    TCP_DROP,
    ABANDON_ALLOC,
    TCP_RACE
  }

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = null;
    InetSocketAddress peer = null;
    String secret = "s3cret";
    String metrics = null;
    int seconds = 600;
    int rate = 100;
    int settle = 40;
    int maxOpen = 3000;
    int threads = 2;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--server" -> server = TurnLoad.address(v);
        case "--peer" -> peer = TurnLoad.address(v);
        case "--secret" -> secret = v;
        case "--metrics" -> metrics = v;
        case "--seconds" -> seconds = Integer.parseInt(v);
        case "--rate" -> rate = Integer.parseInt(v);
        case "--settle" -> settle = Integer.parseInt(v);
        case "--max-open" -> maxOpen = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        default ->
            throw new IllegalArgumentException(
                "argument: "
                    + args[i]
                    + " (expected: --server, --peer, --secret, --metrics, --seconds, --rate,"
                    + " --settle, --max-open, --threads)");
      }
      i++;
    }
    if (server == null || peer == null || metrics == null) {
      throw new IllegalArgumentException("--server, --peer and --metrics are required");
    }
    System.exit(
        new PortSoak.Run(server, peer, secret, metrics, seconds, rate, settle, maxOpen, threads)
            .run());
  }

  private static final class Run implements TurnAllocation.Listener {
    final InetSocketAddress server;
    final InetSocketAddress peer;
    final String secret;
    final String metricsUrl;
    final int seconds;
    final int rate;
    final int settle;
    final int maxOpen;
    final Sockets sockets;
    final HttpClient http = HttpClient.newHttpClient();

    final AtomicInteger open = new AtomicInteger();
    final AtomicLong started = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong allocated = new AtomicLong();
    final AtomicLong ready = new AtomicLong();
    final AtomicLong freed = new AtomicLong();
    final AtomicLong echoes = new AtomicLong();
    final AtomicLong sent508 = new AtomicLong();
    final AtomicLong slow508 = new AtomicLong();
    final AtomicLong hangs = new AtomicLong();
    final LongAccumulator max508Nanos = new LongAccumulator(Math::max, 0);
    final Histogram lat508 = new Histogram();
    final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    final Map<TurnAllocation, Kind> kinds = new ConcurrentHashMap<>();

    Run(
        InetSocketAddress server,
        InetSocketAddress peer,
        String secret,
        String metricsUrl,
        int seconds,
        int rate,
        int settle,
        int maxOpen,
        int threads) {
      this.server = server;
      this.peer = peer;
      this.secret = secret;
      this.metricsUrl = metricsUrl;
      this.seconds = seconds;
      this.rate = rate;
      this.settle = settle;
      this.maxOpen = maxOpen;
      this.sockets = new Sockets(threads, server, 0, 0);
    }

    int run() throws Exception {
      long runId = System.currentTimeMillis() % 1_000_000;
      Map<String, Long> m0 = gauges();
      System.out.println("soak: " + seconds + " s, " + rate + " sessions/s; relay at start " + m0);
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      long nextReport = start + 10_000_000_000L;
      long maxInUse = 0;
      int perTick = Math.max(1, rate / 10);
      int id = 0;
      Kind[] all = Kind.values();
      long tick = start;
      while (System.nanoTime() < end) {
        for (int k = 0; k < perTick; k++) {
          if (open.get() >= maxOpen) {
            skipped.incrementAndGet();
            continue;
          }
          Kind kind = all[id % all.length];
          launch(id++, kind, runId);
        }
        long now = System.nanoTime();
        if (now >= nextReport) {
          Map<String, Long> g = gauges();
          maxInUse = Math.max(maxInUse, g.getOrDefault("tafel_relay_ports_in_use", -1L));
          System.out.printf(
              "  %4d s: started %d, allocated %d, 508 %d (max %.1f ms), hangs %d, open sockets"
                  + " %d; relay %s%n",
              (now - start) / 1_000_000_000L,
              started.get(),
              allocated.get(),
              sent508.get(),
              max508Nanos.get() / 1e6,
              hangs.get(),
              open.get(),
              g);
          System.out.flush();
          nextReport += 10_000_000_000L;
        }
        tick += 100_000_000L;
        long sleep = (tick - System.nanoTime()) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
      System.out.println("soak: stopped creating; letting sessions finish, then closing all");
      long drainStart = System.nanoTime();
      long drain = drainStart + 20_000_000_000L;
      while (open.get() > 0 && System.nanoTime() < drain) {
        Thread.sleep(200);
      }
      System.out.printf(
          "soak: %d sockets still open after %.1f s; closing them (TCP with a reset)%n",
          open.get(), (System.nanoTime() - drainStart) / 1e9);
      for (TurnAllocation a : kinds.keySet()) {
        a.close(true);
      }
      Thread.sleep(500);
      long settleStart = System.nanoTime();
      Map<String, Long> g = gauges();
      while (System.nanoTime() - settleStart < settle * 1_000_000_000L
          && (g.getOrDefault("tafel_relay_ports_in_use", -1L) != 0
              || g.getOrDefault("tafel_relay_allocations_active", -1L) != 0)) {
        Thread.sleep(1000);
        g = gauges();
      }
      long settled = (System.nanoTime() - settleStart) / 1_000_000;
      sockets.close();

      long inUse = g.getOrDefault("tafel_relay_ports_in_use", -1L);
      long active = g.getOrDefault("tafel_relay_allocations_active", -1L);
      System.out.printf(
          "result: %d sessions started (%d skipped at the open-socket cap), %d allocated, %d"
              + " bound, %d freed by Refresh 0, %d echoes; 508: %d, latency p50 %s ms p99 %s ms"
              + " max %s ms, %d at >= 1 s; hangs (no answer after retransmissions): %d; other"
              + " errors %s; ports in use seen at most %d%n",
          started.get(),
          skipped.get(),
          allocated.get(),
          ready.get(),
          freed.get(),
          echoes.get(),
          sent508.get(),
          Histogram.ms(percentile(0.5)),
          Histogram.ms(percentile(0.99)),
          Histogram.ms(max508Nanos.get() / 1000),
          slow508.get(),
          hangs.get(),
          new TreeMap<>(errors),
          maxInUse);
      System.out.printf(
          "after close + %.1f s: tafel_relay_ports_in_use %d, tafel_relay_allocations_active %d,"
              + " capacity %d%n",
          settled / 1000.0, inUse, active, g.getOrDefault("tafel_relay_ports_capacity", -1L));
      boolean ok = true;
      if (inUse != 0 || active != 0) {
        System.out.println("FAIL: relay ports or allocations not back after the lifetimes");
        ok = false;
      }
      if (slow508.get() > 0) {
        System.out.println("FAIL: a 508 took 1 s or more");
        ok = false;
      }
      if (hangs.get() > 0) {
        System.out.println("FAIL: requests without any answer");
        ok = false;
      }
      if (sent508.get() == 0) {
        System.out.println("FAIL: the port range was never exhausted (no 508)");
        ok = false;
      }
      System.out.println(ok ? "PASS" : "FAIL");
      return ok ? 0 : 1;
    }

    private long percentile(double q) {
      synchronized (lat508) {
        return lat508.percentileMicros(q);
      }
    }

    private void launch(int id, Kind kind, long runId) throws InterruptedException {
      boolean tcp = kind == Kind.TCP_DROP || kind == Kind.TCP_RACE;
      TurnAllocation a =
          new TurnAllocation(id, tcp, secret, "soak" + runId + "-" + id, peer, 0, 250, 7, this);
      EventLoop loop = sockets.loops[id % sockets.loops.length];
      try {
        sockets.open(a, loop);
      } catch (Exception e) {
        errors
            .computeIfAbsent("open:" + e.getClass().getSimpleName(), k -> new AtomicInteger())
            .incrementAndGet();
        return;
      }
      open.incrementAndGet();
      kinds.put(a, kind);
      a.channel
          .closeFuture()
          .addListener(
              f -> {
                open.decrementAndGet();
                kinds.remove(a);
              });
      started.incrementAndGet();
      boolean bind = kind != Kind.FREE_NOW && kind != Kind.ABANDON_ALLOC && kind != Kind.TCP_RACE;
      a.start(bind);
      if (kind == Kind.TCP_RACE) {
        loop.schedule(
            () -> a.close(true), ThreadLocalRandom.current().nextInt(0, 4), TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void allocated(TurnAllocation a, long setupNanos) {
      allocated.incrementAndGet();
      Kind kind = kinds.get(a);
      if (kind == Kind.FREE_NOW) {
        a.refresh(
            0,
            () -> {
              freed.incrementAndGet();
              a.close(false);
            });
      } else if (kind == Kind.ABANDON_ALLOC) {
        a.close(false);
      }
    }

    @Override
    public void ready(TurnAllocation a, long setupNanos) {
      ready.incrementAndGet();
      Kind kind = kinds.get(a);
      if (kind == null) {
        return;
      }
      switch (kind) {
        case ABANDON -> a.close(false);
        case DATA_FREE -> {
          ScheduledFuture<?> data =
              a.loop.scheduleAtFixedRate(() -> a.sendData(100), 0, 50, TimeUnit.MILLISECONDS);
          a.refreshTask =
              a.loop.scheduleAtFixedRate(
                  () -> {
                    a.refresh(5, () -> {});
                    a.bindPeer(() -> {});
                  },
                  2,
                  2,
                  TimeUnit.SECONDS);
          a.loop.schedule(
              () -> {
                data.cancel(false);
                a.refreshTask.cancel(false);
                a.refresh(
                    0,
                    () -> {
                      freed.incrementAndGet();
                      a.close(false);
                    });
              },
              5,
              TimeUnit.SECONDS);
        }
        case TCP_DROP -> {
          ScheduledFuture<?> data =
              a.loop.scheduleAtFixedRate(() -> a.sendData(100), 0, 50, TimeUnit.MILLISECONDS);
          a.loop.schedule(
              () -> {
                data.cancel(false);
                a.close(true);
              },
              ThreadLocalRandom.current().nextInt(0, 2000),
              TimeUnit.MILLISECONDS);
        }
        default -> a.close(false);
      }
    }

    @Override
    public void failed(TurnAllocation a, int method, int code, long nanos) {
      Kind kind = kinds.get(a);
      if (method == StunMethod.ALLOCATE && code == 508) {
        sent508.incrementAndGet();
        max508Nanos.accumulate(nanos);
        synchronized (lat508) {
          lat508.recordNanos(nanos);
        }
        if (nanos >= 1_000_000_000L) {
          slow508.incrementAndGet();
        }
      } else if (code == TurnAllocation.TIMEOUT) {
        hangs.incrementAndGet();
        count(StunMethod.name(method) + ":timeout:" + kind);
      } else if (code == TurnAllocation.CLOSED && (kind == Kind.TCP_RACE || kind == null)) {
        // expected: the test closed the connection itself
      } else {
        count(StunMethod.name(method) + ":" + code + ":" + kind);
      }
      if (a.channel.isOpen()) {
        a.close(a.tcp);
      }
    }

    private void count(String what) {
      errors.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void data(TurnAllocation a, ByteBuf payload) {
      echoes.incrementAndGet();
    }

    private Map<String, Long> gauges() {
      Map<String, Long> out = new TreeMap<>();
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(metricsUrl))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
          if (line.startsWith("tafel_relay_ports_")
              || line.startsWith("tafel_relay_allocations_active")) {
            int sp = line.lastIndexOf(' ');
            out.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()));
          }
        }
      } catch (Exception e) {
        out.put("metrics-error", -1L);
      }
      return out;
    }
  }
}
