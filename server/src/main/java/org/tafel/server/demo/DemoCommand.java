package org.tafel.server.demo;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tafel.client.call.MediaKind;

/**
 * {@code tafel demo [--seconds N] [--keep]}: starts {@code tafel serve} as its own process on a
 * temporary data directory (ports 0, loopback peers allowed on the relay), runs {@link Demo},
 * prints what happened and stops the server. Exit 0 when the file's hash matched and the call
 * connected over relayed candidates on both sides.
 */
public final class DemoCommand {
  private DemoCommand() {}

  public static int run(List<String> args) {
    PrintStream out = System.out;
    long seconds = 10;
    boolean keep = false;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--seconds" -> seconds = Long.parseLong(args.get(++i));
        case "--keep" -> keep = true;
        default -> {
          System.err.println("usage: tafel demo [--seconds N] [--keep]");
          return 2;
        }
      }
    }
    Path work = null;
    try {
      work = Files.createTempDirectory("tafel-demo-");
      Path log = work.resolve("server.log");
      out.println(
          "tafel demo: starting the server as its own process (data "
              + work.resolve("data")
              + ", log "
              + log
              + ")");
      try (LocalServer server =
          LocalServer.start(
              work.resolve("data"),
              log,
              Duration.ofSeconds(90),
              "--allow-peer",
              "127.0.0.0/8",
              "--pow-bits",
              "12")) {
        out.printf(
            "server pid %d: signaling %d, blob %d, turn %d%n",
            server.pid(), server.port("signaling"), server.port("blob"), server.port("turn"));
        Demo.Report r =
            Demo.run(
                URI.create("ws://127.0.0.1:" + server.port("signaling") + "/v1/ws"),
                URI.create("http://127.0.0.1:" + server.port("blob")),
                work,
                Duration.ofSeconds(seconds),
                "tafel-demo".getBytes(StandardCharsets.US_ASCII),
                out);
        out.println("--- summary ---");
        out.printf(
            "file delivered and its hash verified: %s (%s, %d bytes)%n",
            r.fileVerified() ? "yes" : "NO", r.received().getFileName(), r.size());
        out.printf(
            "call connected over relayed candidates: %s (%s)%n",
            r.caller().overRelays() && r.callee().overRelays() ? "yes" : "NO",
            r.caller().selectedPair());
        for (MediaKind k : MediaKind.values()) {
          out.printf(
              "%s: A sent %d, B received %d; B sent %d, A received %d; lost %d%n",
              k.wireName(),
              r.caller().stats().sentPackets(k),
              r.callee().stats().receivedPackets(k),
              r.callee().stats().sentPackets(k),
              r.caller().stats().receivedPackets(k),
              lost(r, k));
        }
        out.printf(
            "round-trip time: A %.2f ms, B %.2f ms (avg); srtp refused: %d%n",
            r.caller().stats().rtt().avgMillis(),
            r.callee().stats().rtt().avgMillis(),
            r.caller().stats().authFailures() + r.callee().stats().authFailures());
        return r.ok() ? 0 : 1;
      }
    } catch (Exception e) {
      System.err.println("tafel demo: failed: " + e);
      return 1;
    } finally {
      if (work != null && !keep) {
        deleteQuietly(work);
      } else if (work != null) {
        out.println("kept " + work);
      }
    }
  }

  private static long lost(Demo.Report r, MediaKind k) {
    long lost = 0;
    for (var s : List.of(r.caller().stats(), r.callee().stats())) {
      lost += s.received().stream().filter(x -> x.kind() == k).mapToLong(x -> x.lost()).sum();
    }
    return lost;
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (java.io.IOException e) {
                  // best effort
                }
              });
    } catch (java.io.IOException e) {
      // best effort
    }
  }
}
