package org.tafel.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 *     --secret s3cret --realm tafel --allow-peer 127.0.0.0/8 [--threads 0] [--per-user 100000] \
 *     [--total 50000] [--default-lifetime S] [--max-lifetime S] [--permission-lifetime S] \
 *     [--channel-lifetime S] [--nonce-lifetime S] [--metrics-port P]
 * </pre>
 *
 * <p>Lifetimes are in seconds and default to {@link RelayConfig.Limits#defaults()}. With {@code
 * --metrics-port}, {@code GET http://127.0.0.1:P/metrics} serves the relay's registry (text format
 * 0.0.4), for soaks that check {@code tafel_relay_ports_in_use} and {@code
 * tafel_relay_allocations_active}.
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
    RelayConfig.Limits d = RelayConfig.Limits.defaults();
    int total = d.allocationsTotal();
    long defaultLifetime = d.defaultLifetime().toSeconds();
    long maxLifetime = d.maxLifetime().toSeconds();
    long permissionLifetime = d.permissionLifetime().toSeconds();
    long channelLifetime = d.channelLifetime().toSeconds();
    long nonceLifetime = d.nonceLifetime().toSeconds();
    int metricsPort = -1;
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
        case "--total" -> total = Integer.parseInt(v);
        case "--default-lifetime" -> defaultLifetime = Long.parseLong(v);
        case "--max-lifetime" -> maxLifetime = Long.parseLong(v);
        case "--permission-lifetime" -> permissionLifetime = Long.parseLong(v);
        case "--channel-lifetime" -> channelLifetime = Long.parseLong(v);
        case "--nonce-lifetime" -> nonceLifetime = Long.parseLong(v);
        case "--metrics-port" -> metricsPort = Integer.parseInt(v);
        default ->
            throw new IllegalArgumentException(
                "argument: "
                    + args[i]
                    + " (expected: --port, --relay-ports, --secret, --realm, --threads, --per-user,"
                    + " --allow-peer, --total, --default-lifetime, --max-lifetime,"
                    + " --permission-lifetime, --channel-lifetime, --nonce-lifetime,"
                    + " --metrics-port)");
      }
      i++;
    }
    RelayConfig.Limits limits =
        new RelayConfig.Limits(
            perUser,
            total,
            d.permissionsPerAllocation(),
            d.bytesPerSecondPerAllocation(),
            Duration.ofSeconds(defaultLifetime),
            Duration.ofSeconds(maxLifetime),
            Duration.ofSeconds(permissionLifetime),
            Duration.ofSeconds(channelLifetime),
            Duration.ofSeconds(nonceLifetime));
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
    MetricsRegistry registry = new MetricsRegistry();
    RelayServer server = new RelayServer(config, registry, Clock.systemUTC());
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    if (metricsPort >= 0) {
      HttpServer http =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByName("127.0.0.1"), metricsPort), 4);
      http.createContext(
          "/metrics",
          exchange -> {
            StringBuilder text = new StringBuilder();
            registry.writeText(text);
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", MetricsRegistry.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      http.start();
      System.out.println("METRICS " + http.getAddress().getPort());
    }
    System.out.println("READY " + server.turnPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
