package org.tafel.bench;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.net.Cidr;
import org.tafel.relay.RelayConfig;
import org.tafel.relay.RelayServer;

/**
 * Starts the media relay alone, without the admin and config layers, for load runs.
 *
 * <pre>
 * java -cp tafel-benchmarks.jar org.tafel.bench.RelayMain --port 3478 --relay-ports 40000-40999 \
 *     --secret s3cret --realm tafel --allow-peer 127.0.0.0/8 [--threads 0] [--per-user 100000]
 * </pre>
 *
 * <p>Prints {@code READY <port>} once bound; runs until killed. {@code --per-user} defaults to
 * 100000 so that, like coturn without {@code --user-quota}, one REST username may hold every
 * allocation of a load run (uclient gives all its allocations the same username).
 */
public final class RelayMain {
  private RelayMain() {}

  public static void main(String[] args) throws Exception {
    int port = 3478;
    int relayMin = 40000;
    int relayMax = 40999;
    String secret = "s3cret";
    String realm = "tafel";
    int threads = 0;
    int perUser = 100_000;
    List<Cidr> allow = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(v);
        case "--relay-ports" -> {
          String[] mm = v.split("-");
          relayMin = Integer.parseInt(mm[0]);
          relayMax = Integer.parseInt(mm[1]);
        }
        case "--secret" -> secret = v;
        case "--realm" -> realm = v;
        case "--threads" -> threads = Integer.parseInt(v);
        case "--per-user" -> perUser = Integer.parseInt(v);
        case "--allow-peer" -> allow.add(Cidr.parse("allow-peer", v));
        default ->
            throw new IllegalArgumentException(
                "argument: "
                    + args[i]
                    + " (expected: --port, --relay-ports, --secret, --realm,"
                    + " --threads, --per-user, --allow-peer)");
      }
      i++;
    }
    RelayConfig.Limits d = RelayConfig.Limits.defaults();
    RelayConfig.Limits limits =
        new RelayConfig.Limits(
            perUser,
            d.allocationsTotal(),
            d.permissionsPerAllocation(),
            d.bytesPerSecondPerAllocation(),
            d.defaultLifetime(),
            d.maxLifetime(),
            d.permissionLifetime(),
            d.channelLifetime(),
            Duration.ofSeconds(d.nonceLifetime().toSeconds()));
    RelayConfig config =
        new RelayConfig(
            InetAddress.getByName("127.0.0.1"),
            port,
            -1,
            relayMin,
            relayMax,
            null,
            realm,
            List.of(secret.getBytes(StandardCharsets.UTF_8)),
            Map.of(),
            allow,
            Set.of(),
            null,
            null,
            limits,
            threads);
    RelayServer server = new RelayServer(config, new MetricsRegistry(), Clock.systemUTC());
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("READY " + server.turnPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
