package org.tafel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.BlobConfig;
import org.tafel.blob.BlobServer;
import org.tafel.blob.BlobStartException;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.relay.RelayConfig;
import org.tafel.relay.RelayServer;
import org.tafel.relay.RelayStartException;
import org.tafel.server.admin.AdminServer;
import org.tafel.server.admin.JvmMetrics;
import org.tafel.server.config.GeneratedSecrets;
import org.tafel.server.config.Secret;
import org.tafel.server.config.Service;
import org.tafel.server.config.TafelConfig;
import org.tafel.signaling.SignalingServer;
import org.tafel.signaling.SignalingStartException;

/**
 * The services of one JVM wired together: metrics, the admin port, the relay, signaling, the blob
 * store. {@link #start} checks the ports, starts everything or nothing, and writes {@code
 * DATA/run/ports.json}.
 */
public final class TafelServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TafelServer.class);

  private final TafelConfig config;
  private final MetricsRegistry metrics = new MetricsRegistry();
  private AdminServer admin;
  private RelayServer relay;
  private SignalingServer signaling;
  private BlobServer blob;
  private Path portsFile;

  private TafelServer(TafelConfig config) {
    this.config = config;
  }

  /** Starts every service {@code config} asks for; on failure, stops what had started. */
  public static TafelServer start(TafelConfig config, Clock clock) throws StartException {
    TafelServer server = new TafelServer(config);
    try {
      server.startServices(clock);
      return server;
    } catch (StartException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void startServices(Clock clock) throws StartException {
    PortProbe.checkFree(PortProbe.listeners(config));
    Path runDir = config.dataDir().resolve("run");
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new StartException(
          "data-dir: " + config.dataDir() + " cannot be written (" + e + ")", e);
    }
    JvmMetrics.register(metrics);

    admin =
        new AdminServer(
            new InetSocketAddress(config.admin().bind(), config.admin().port()),
            this::notRunning,
            metrics::writeText);
    try {
      admin.start();
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      throw new StartException(
          "admin.port: "
              + config.admin().port()
              + (m.contains("in use") ? " is in use (" : " cannot be bound (")
              + m
              + ")",
          e);
    }
    if (!config.admin().bind().isLoopbackAddress()) {
      log.warn(
          "admin.bind: {} is beyond loopback; /metrics and /healthz are reachable from the network",
          config.admin().bind().getHostAddress());
    }

    if (config.runs(Service.RELAY)) {
      RelayConfig relayConfig = config.toRelayConfig(turnSecrets(), admin.port());
      relay = new RelayServer(relayConfig, metrics, clock);
      try {
        relay.start();
      } catch (RelayStartException e) {
        String m = e.getMessage();
        throw new StartException(m != null && m.startsWith("relay") ? m : "relay: " + m, e);
      }
    }
    if (config.runs(Service.SIGNALING)) {
      signaling = new SignalingServer(SignalingWiring.config(config, relay), metrics, clock);
      try {
        signaling.start();
      } catch (SignalingStartException e) {
        throw new StartException(e.getMessage(), e);
      }
    }
    if (config.runs(Service.BLOB)) {
      startBlob(clock);
    }
    portsFile = runDir.resolve("ports.json");
    writeAtomically(portsFile, portsJson());
  }

  private void startBlob(Clock clock) throws StartException {
    var keys =
        new GeneratedSecrets(config.dataDir(), new SecureRandom())
            .keyRing(GeneratedSecrets.UPLOAD_TOKEN_KEY);
    BlobConfig blobConfig =
        BlobConfig.defaults(config.dataDir().resolve("blobs"), keys)
            .withBind(config.bind())
            .withPort(config.blob().port())
            .withTls(config.tls().certificate(), config.tls().privateKey())
            .withLimits(
                BlobConfig.Limits.defaults()
                    .withMaxBytes(config.blob().maxBytes())
                    .withExpiry(config.blob().defaultExpiry(), config.blob().maxExpiry())
                    .withQuota(config.blob().quotaBytes(), config.blob().uploadsPerMinute())
                    .withConcurrentUploads(config.blob().concurrentUploads())
                    .withIdleTimeout(config.blob().idleTimeout()));
    blob = new BlobServer(blobConfig, metrics, clock);
    try {
      blob.start();
    } catch (BlobStartException e) {
      String m = e.getMessage();
      throw new StartException(m != null && m.startsWith("blob") ? m : "blob: " + m, e);
    }
  }

  private List<Secret> turnSecrets() {
    TafelConfig.Relay relayConfig = config.relay();
    if (!relayConfig.needsGeneratedSecret()) {
      return relayConfig.turnSecrets();
    }
    var generated =
        new GeneratedSecrets(config.dataDir(), new SecureRandom())
            .loadOrCreate(GeneratedSecrets.TURN_SECRET);
    log.info(
        "relay: {} the TURN REST shared secret in {} (give it to the service that mints"
            + " credentials)",
        generated.created() ? "generated" : "using",
        generated.file());
    return List.of(generated.secret());
  }

  /** The started services that are not running. */
  List<String> notRunning() {
    List<String> down = new ArrayList<>();
    if (config.runs(Service.RELAY) && (relay == null || !relay.isRunning())) {
      down.add(Service.RELAY.key());
    }
    if (config.runs(Service.SIGNALING) && (signaling == null || !signaling.isRunning())) {
      down.add(Service.SIGNALING.key());
    }
    if (config.runs(Service.BLOB) && (blob == null || !blob.isRunning())) {
      down.add(Service.BLOB.key());
    }
    return down;
  }

  /** Bound ports by name: {@code admin}, and {@code turn}, {@code turns} when the relay runs. */
  public Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("admin", admin.port());
    if (relay != null) {
      ports.put("turn", relay.turnPort());
      ports.put("turns", relay.turnsPort());
    }
    if (signaling != null) {
      ports.put("signaling", signaling.port());
    }
    if (blob != null) {
      ports.put("blob", blob.port());
    }
    return ports;
  }

  /**
   * The line tests and scripts wait for: {@code tafel ready admin=N turn=N turns=N signaling=N
   * blob=N}, one {@code key=port} pair per running service.
   */
  public String readyLine() {
    StringBuilder line = new StringBuilder("tafel ready");
    ports().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    return line.toString();
  }

  public MetricsRegistry metrics() {
    return metrics;
  }

  private String portsJson() {
    StringBuilder json = new StringBuilder("{");
    ports()
        .forEach(
            (k, v) ->
                json.append(json.length() > 1 ? "," : "")
                    .append('"')
                    .append(k)
                    .append("\":")
                    .append(v));
    return json.append("}\n").toString();
  }

  static void writeAtomically(Path file, String text) throws StartException {
    try {
      Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new StartException(file + ": cannot be written (" + e + ")", e);
    }
  }

  /** Stops signaling, the relay, then the admin port; removes {@code ports.json}. Idempotent. */
  @Override
  public synchronized void close() {
    if (portsFile != null) {
      try {
        Files.deleteIfExists(portsFile);
      } catch (IOException e) {
        log.warn("{}: cannot be removed ({})", portsFile, e.toString());
      }
      portsFile = null;
    }
    if (signaling != null) {
      try {
        signaling.close();
      } catch (RuntimeException e) {
        log.warn("signaling: error while stopping", e);
      }
      signaling = null;
    }
    if (relay != null) {
      try {
        relay.close();
      } catch (RuntimeException e) {
        log.warn("relay: error while stopping", e);
      }
      relay = null;
    }
    if (blob != null) {
      try {
        blob.close();
      } catch (RuntimeException e) {
        log.warn("blob: error while stopping", e);
      }
      blob = null;
    }
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }
}
