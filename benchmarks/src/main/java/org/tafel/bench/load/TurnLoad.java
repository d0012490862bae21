package org.tafel.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.tafel.protocol.stun.StunMethod;

/**
 * A TURN load generator on Netty, for allocation counts that coturn's {@code turnutils_uclient}
 * sets up too slowly. Works against any TURN server with TURN REST credentials (Tafel, coturn).
 *
 * <pre>
 * java -cp benchmarks/target/tafel-benchmarks.jar org.tafel.bench.load.TurnLoad \
 *     --server 127.0.0.1:3478 --secret s3cret --allocations 10000 --rate 1 --seconds 60 \
 *     --peer 127.0.0.1:34800 [--tcp] [--size 160] [--window 200] [--threads 2] \
 *     [--lifetime 600] [--refresh-every S] [--perm-refresh 120] [--client-ports 20000-31999] \
 *     [--hold-file PATH] [--hold-max 600] [--until-file PATH] [--samples PATH]
 * </pre>
 *
 * <p>Phases: (1) open N sockets (untimed; UDP sockets are connected, each its own 5-tuple); (2)
 * setup, at most {@code --window} allocations in flight: Allocate, 401, signed Allocate,
 * CreatePermission, ChannelBind to the peer; <b>allocs/s</b> = ready allocations / (last
 * ChannelBind success − first Allocate sent); per-allocation setup latency p50/p99; (3) data: each
 * allocation sends {@code --rate} ChannelData datagrams/s of {@code --size} bytes (allocation id,
 * sequence number, send time) for {@code --seconds}, start times spread over one period; the peer
 * must echo; then 2 s to drain; <b>loss</b> = sent − echoes received, RTT p50/p99/max; with {@code
 * --until-file} the data phase ends early once that file exists (a latency probe beside another
 * load ends with it); {@code --samples} writes every round trip as a line "{@code monotonic_seconds
 * rtt_microseconds}" (the time the echo arrived, on the clock of {@link System#nanoTime},
 * CLOCK_MONOTONIC on Linux), so that a script can take the percentiles of a window it measured
 * elsewhere; (4) with {@code --hold-file}, prints {@code HOLDING} and keeps the allocations
 * (refreshed) until that file exists, so that a script can measure the server; (5) frees every
 * allocation (Refresh 0). Allocations are refreshed every {@code --refresh-every} seconds (default:
 * half their granted lifetime) and permissions and channels (CreatePermission + ChannelBind) every
 * {@code --perm-refresh} seconds while they live; failures are counted. Prints a final {@code
 * RESULT key=value ...} line.
 */
public final class TurnLoad {
  private TurnLoad() {}

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = null;
    InetSocketAddress peer = null;
    String secret = "s3cret";
    int n = 100;
    double rate = 1;
    int seconds = 10;
    boolean tcp = false;
    int size = 160;
    int window = 200;
    int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    int lifetime = 600;
    int permRefresh = 120;
    int refreshEvery = 0;
    int clientMin = 0;
    int clientMax = 0;
    String holdFile = null;
    int holdMax = 600;
    String untilFile = null;
    String samplesFile = null;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--server" -> server = address(v);
        case "--peer" -> peer = address(v);
        case "--secret" -> secret = v;
        case "--allocations" -> n = Integer.parseInt(v);
        case "--rate" -> rate = Double.parseDouble(v);
        case "--seconds" -> seconds = Integer.parseInt(v);
        case "--tcp" -> {
          tcp = true;
          i--;
        }
        case "--size" -> size = Math.max(16, Integer.parseInt(v));
        case "--window" -> window = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--lifetime" -> lifetime = Integer.parseInt(v);
        case "--perm-refresh" -> permRefresh = Integer.parseInt(v);
        case "--refresh-every" -> refreshEvery = Integer.parseInt(v);
        case "--client-ports" -> {
          String[] mm = v.split("-");
          clientMin = Integer.parseInt(mm[0]);
          clientMax = Integer.parseInt(mm[1]);
        }
        case "--hold-file" -> holdFile = v;
        case "--hold-max" -> holdMax = Integer.parseInt(v);
        case "--until-file" -> untilFile = v;
        case "--samples" -> samplesFile = v;
        default ->
            throw new IllegalArgumentException(
                "argument: "
                    + args[i]
                    + " (expected: --server, --peer, --secret, --allocations, --rate, --seconds,"
                    + " --tcp, --size, --window, --threads, --lifetime, --perm-refresh, --refresh-every,"
                    + " --client-ports, --hold-file, --hold-max, --until-file, --samples)");
      }
      i++;
    }
    if (server == null || peer == null) {
      throw new IllegalArgumentException("--server and --peer are required");
    }
    new Run(
            server,
            peer,
            secret,
            n,
            rate,
            seconds,
            tcp,
            size,
            window,
            threads,
            lifetime,
            permRefresh,
            refreshEvery,
            clientMin,
            clientMax,
            holdFile,
            holdMax,
            untilFile,
            samplesFile)
        .run();
  }

  static InetSocketAddress address(String hostPort) throws Exception {
    int c = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        InetAddress.getByName(hostPort.substring(0, c)),
        Integer.parseInt(hostPort.substring(c + 1)));
  }

  /** Per event loop: only touched from that loop until the phase ends. */
  private static final class LoopStats {
    final Histogram setup = new Histogram();
    final Histogram rtt = new Histogram();
    final List<TurnAllocation> ready = new ArrayList<>();

    /** With --samples: pairs (arrival nanoTime, RTT nanos). */
    long[] samples = new long[0];

    int sampleCount;

    void sample(long arrived, long rttNanos) {
      if (sampleCount + 2 > samples.length) {
        samples = Arrays.copyOf(samples, Math.max(4096, samples.length * 2));
      }
      samples[sampleCount++] = arrived;
      samples[sampleCount++] = rttNanos;
    }
  }

  private static final class Run implements TurnAllocation.Listener {
    final InetSocketAddress server;
    final InetSocketAddress peer;
    final String secret;
    final int n;
    final double rate;
    final int seconds;
    final boolean tcp;
    final int size;
    final int window;
    final int threads;
    final int lifetime;
    final int permRefresh;
    final int refreshEvery;
    final int clientMin;
    final int clientMax;
    final String holdFile;
    final int holdMax;
    final String untilFile;
    final String samplesFile;

    final LoopStats[] stats;
    final TurnAllocation[] allocs;
    final AtomicInteger next = new AtomicInteger();
    final AtomicLong lastReadyNanos = new AtomicLong();
    final Map<String, AtomicInteger> errors = new TreeMap<>();
    CountDownLatch setupDone;
    CountDownLatch freeDone;
    final AtomicInteger freedOk = new AtomicInteger();
    final AtomicInteger freeFailed = new AtomicInteger();
    final AtomicInteger refreshFailed = new AtomicInteger();
    volatile boolean freeing;
    volatile long dataEndNanos;
    Sockets sockets;

    Run(
        InetSocketAddress server,
        InetSocketAddress peer,
        String secret,
        int n,
        double rate,
        int seconds,
        boolean tcp,
        int size,
        int window,
        int threads,
        int lifetime,
        int permRefresh,
        int refreshEvery,
        int clientMin,
        int clientMax,
        String holdFile,
        int holdMax,
        String untilFile,
        String samplesFile) {
      this.server = server;
      this.peer = peer;
      this.secret = secret;
      this.n = n;
      this.rate = rate;
      this.seconds = seconds;
      this.tcp = tcp;
      this.size = size;
      this.window = window;
      this.threads = threads;
      this.lifetime = lifetime;
      this.permRefresh = permRefresh;
      this.refreshEvery = refreshEvery;
      this.clientMin = clientMin;
      this.clientMax = clientMax;
      this.holdFile = holdFile;
      this.holdMax = holdMax;
      this.untilFile = untilFile;
      this.samplesFile = samplesFile;
      this.stats = new LoopStats[threads];
      for (int i = 0; i < threads; i++) {
        stats[i] = new LoopStats();
      }
      this.allocs = new TurnAllocation[n];
    }

    void run() throws Exception {
      long runId = System.currentTimeMillis() % 1_000_000;
      sockets = new Sockets(threads, server, clientMin, clientMax);
      try {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
          TurnAllocation a =
              new TurnAllocation(
                  i, tcp, secret, "load" + runId + "-" + i, peer, lifetime, 250, 7, this);
          sockets.open(a, sockets.loops[i % threads]);
          allocs[i] = a;
        }
        System.out.printf(
            "opened %d %s sockets in %.1f s%n",
            n, tcp ? "TCP" : "UDP", (System.nanoTime() - t) / 1e9);

        // Setup.
        setupDone = new CountDownLatch(n);
        long setupStart = System.nanoTime();
        for (int i = 0; i < Math.min(window, n); i++) {
          startNext();
        }
        boolean complete = setupDone.await(Math.max(120, n / 20), TimeUnit.SECONDS);
        int ready = 0;
        for (TurnAllocation a : allocs) {
          if (a.readyOk) {
            ready++;
          }
        }
        long setupNanos = Math.max(1, lastReadyNanos.get() - setupStart);
        Histogram setup = new Histogram();
        for (LoopStats s : syncLoops()) {
          setup.add(s.setup);
        }
        double allocsPerSec = ready / (setupNanos / 1e9);
        System.out.printf(
            "setup: %d of %d ready%s in %.3f s: %.0f allocations/s (Allocate+401+Allocate+"
                + "CreatePermission+ChannelBind); per-allocation setup p50 %s ms p99 %s ms max %s"
                + " ms; errors %s%n",
            ready,
            n,
            complete ? "" : " (timed out waiting)",
            setupNanos / 1e9,
            allocsPerSec,
            Histogram.ms(setup.percentileMicros(0.5)),
            Histogram.ms(setup.percentileMicros(0.99)),
            Histogram.ms(setup.maxMicros()),
            errors);

        // Refresh timers for every ready allocation.
        for (TurnAllocation a : allocs) {
          if (a.readyOk) {
            a.loop.execute(() -> scheduleRefreshes(a));
          }
        }

        // Data.
        long sent = 0;
        long received = 0;
        Histogram rtt = new Histogram();
        if (rate > 0 && seconds > 0 && ready > 0) {
          long period = (long) (1e9 / rate);
          long tick = rate > 100 ? 1_000_000L : 10_000_000L;
          long dataStart = System.nanoTime() + 100_000_000L;
          dataEndNanos = dataStart + seconds * 1_000_000_000L;
          List<ScheduledFuture<?>> ticks = new ArrayList<>();
          for (int li = 0; li < threads; li++) {
            LoopStats s = stats[li];
            EventLoop loop = sockets.loops[li];
            loop.submit(
                    () -> {
                      for (int i = 0; i < n; i++) {
                        TurnAllocation a = allocs[i];
                        if (a.readyOk && a.loop == loop) {
                          a.nextSendNanos =
                              dataStart + ThreadLocalRandom.current().nextLong(period);
                          s.ready.add(a);
                        }
                      }
                    })
                .sync();
            ticks.add(
                loop.scheduleAtFixedRate(
                    () -> sendDue(s, period), tick, tick, TimeUnit.NANOSECONDS));
          }
          System.out.printf(
              "data: %d allocations x %.1f datagrams/s x %d s, %d B payload%n",
              ready, rate, seconds, size);
          System.out.flush();
          while (System.nanoTime() < dataEndNanos) {
            if (untilFile != null && Files.exists(Path.of(untilFile))) {
              dataEndNanos = System.nanoTime();
              break;
            }
            Thread.sleep(
                Math.min(100, Math.max(1, (dataEndNanos - System.nanoTime()) / 1_000_000)));
          }
          Thread.sleep(50);
          for (ScheduledFuture<?> f : ticks) {
            f.cancel(false);
          }
          Thread.sleep(2000); // drain
          List<LoopStats> loops = syncLoops();
          for (LoopStats s : loops) {
            rtt.add(s.rtt);
          }
          if (samplesFile != null) {
            writeSamples(loops);
          }
          for (TurnAllocation a : allocs) {
            sent += a.sent;
            received += a.received;
          }
          System.out.printf(
              "data: sent %d, echoed %d, lost %d (%.4f %%); RTT p50 %s ms p99 %s ms max %s ms%n",
              sent,
              received,
              sent - received,
              sent == 0 ? 0.0 : (sent - received) * 100.0 / sent,
              Histogram.ms(rtt.percentileMicros(0.5)),
              Histogram.ms(rtt.percentileMicros(0.99)),
              Histogram.ms(rtt.maxMicros()));
        }

        if (holdFile != null) {
          System.out.println("HOLDING " + ready);
          System.out.flush();
          long until = System.nanoTime() + holdMax * 1_000_000_000L;
          while (!Files.exists(Path.of(holdFile)) && System.nanoTime() < until) {
            Thread.sleep(100);
          }
        }

        // Free.
        freeing = true;
        freeDone = new CountDownLatch(ready);
        long freeStart = System.nanoTime();
        for (TurnAllocation a : allocs) {
          if (a.readyOk) {
            a.loop.execute(a::cancelTimers);
            a.refresh(0, () -> done(freedOk));
          }
        }
        freeDone.await(60, TimeUnit.SECONDS);
        System.out.printf(
            "free: %d freed, %d failed of %d in %.2f s; refresh failures during run: %d%n",
            freedOk.get(),
            freeFailed.get(),
            ready,
            (System.nanoTime() - freeStart) / 1e9,
            refreshFailed.get());
        System.out.printf(
            "RESULT allocations=%d ready=%d setup_s=%.3f allocs_per_s=%.0f setup_p50_ms=%s"
                + " setup_p99_ms=%s sent=%d received=%d lost=%d rtt_p50_ms=%s rtt_p99_ms=%s"
                + " rtt_max_ms=%s freed=%d errors=%s%n",
            n,
            ready,
            setupNanos / 1e9,
            allocsPerSec,
            Histogram.ms(setup.percentileMicros(0.5)),
            Histogram.ms(setup.percentileMicros(0.99)),
            sent,
            received,
            sent - received,
            Histogram.ms(rtt.percentileMicros(0.5)),
            Histogram.ms(rtt.percentileMicros(0.99)),
            Histogram.ms(rtt.maxMicros()),
            freedOk.get(),
            errors.toString().replace(" ", ""));
        for (TurnAllocation a : allocs) {
          if (a != null) {
            a.close(false);
          }
        }
        Thread.sleep(200);
      } finally {
        sockets.close();
      }
    }

    private void writeSamples(List<LoopStats> loops) throws IOException {
      try (BufferedWriter w = Files.newBufferedWriter(Path.of(samplesFile))) {
        for (LoopStats s : loops) {
          for (int i = 0; i < s.sampleCount; i += 2) {
            w.write(String.format("%.6f %d%n", s.samples[i] / 1e9, s.samples[i + 1] / 1000));
          }
        }
      }
    }

    /** Runs on each loop, so that the histograms are read after their writers' last write. */
    private List<LoopStats> syncLoops() throws InterruptedException {
      List<LoopStats> out = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        sockets.loops[i].submit(() -> {}).sync();
        out.add(stats[i]);
      }
      return out;
    }

    private void done(AtomicInteger counter) {
      counter.incrementAndGet();
      freeDone.countDown();
    }

    private void startNext() {
      int i = next.getAndIncrement();
      if (i < n) {
        allocs[i].start(true);
      }
    }

    private void sendDue(LoopStats s, long period) {
      long now = System.nanoTime();
      long end = dataEndNanos;
      for (int i = 0, size = s.ready.size(); i < size; i++) {
        TurnAllocation a = s.ready.get(i);
        while (a.nextSendNanos <= now && a.nextSendNanos < end) {
          a.sendData(this.size);
          a.nextSendNanos += period;
        }
      }
    }

    private void scheduleRefreshes(TurnAllocation a) {
      int every = refreshEvery > 0 ? refreshEvery : Math.max(1, a.grantedLifetime / 2);
      a.refreshTask =
          a.loop.scheduleAtFixedRate(
              () -> a.refresh(lifetime, () -> {}), every, every, TimeUnit.SECONDS);
      a.permissionTask =
          a.loop.scheduleAtFixedRate(
              () -> a.bindPeer(() -> {}), permRefresh, permRefresh, TimeUnit.SECONDS);
    }

    private synchronized void error(String what) {
      errors.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void ready(TurnAllocation a, long setupNanos) {
      stats[a.id % threads].setup.recordNanos(setupNanos);
      lastReadyNanos.accumulateAndGet(System.nanoTime(), Math::max);
      setupDone.countDown();
      startNext();
    }

    @Override
    public void failed(TurnAllocation a, int method, int code, long nanos) {
      error(StunMethod.name(method) + ":" + code);
      if (freeing) {
        if (method == StunMethod.REFRESH) {
          // 437 answers a retransmitted Refresh 0 whose first answer was lost: freed as well.
          (code == 437 ? freedOk : freeFailed).incrementAndGet();
          freeDone.countDown();
        }
        return;
      }
      if (!a.readyOk) {
        setupDone.countDown();
        startNext();
      } else {
        refreshFailed.incrementAndGet();
      }
    }

    @Override
    public void data(TurnAllocation a, ByteBuf payload) {
      if (payload.readableBytes() >= 16) {
        long now = System.nanoTime();
        long rttNanos = now - payload.getLong(payload.readerIndex() + 8);
        LoopStats s = stats[a.id % threads];
        s.rtt.recordNanos(rttNanos);
        if (samplesFile != null) {
          s.sample(now, rttNanos);
        }
      }
    }
  }
}
