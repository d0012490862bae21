package org.tafel.signaling.testing;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.MutableClock;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.SignalingServer;
import org.tafel.signaling.SignalingStartException;
import org.tafel.signaling.Stores;
import org.tafel.signaling.store.SqliteStore;

/**
 * A real signaling server on loopback, port 0, over SQLite in a test directory, with a {@link
 * MutableClock} and open registration at a low proof-of-work difficulty.
 */
public final class SignalingFixture implements AutoCloseable {
  public static final int TEST_POW_BITS = 4;

  public final MetricsRegistry metrics = new MetricsRegistry();
  public final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  public final SignalingServer server;
  public final SignalingConfig config;
  public final Path dataDir;

  private SignalingFixture(Path dataDir, SignalingConfig config, Stores stores, Clock clock)
      throws SignalingStartException {
    this.dataDir = dataDir;
    this.config = config;
    this.server = new SignalingServer(config, metrics, clock == null ? this.clock : clock, stores);
    server.start();
  }

  /** A config builder with the fixture's defaults (port 0, open registration, low PoW). */
  public static SignalingConfig.Builder config(Path dataDir) {
    byte[] key = X25519.generate(new SecureRandom()).secret();
    return SignalingConfig.builder(dataDir, key)
        .port(0)
        .threads(2)
        .registration(SignalingConfig.Registration.OPEN, TEST_POW_BITS);
  }

  public static SignalingFixture start(Path dataDir) throws SignalingStartException {
    return start(dataDir, b -> b);
  }

  public static SignalingFixture start(Path dataDir, UnaryOperator<SignalingConfig.Builder> tweak)
      throws SignalingStartException {
    return new SignalingFixture(dataDir, tweak.apply(config(dataDir)).build(), null, null);
  }

  /** A server on the given stores (e.g. a wrapped envelope store). */
  public static SignalingFixture start(
      Path dataDir, UnaryOperator<SignalingConfig.Builder> tweak, Stores stores)
      throws SignalingStartException {
    return new SignalingFixture(dataDir, tweak.apply(config(dataDir)).build(), stores, null);
  }

  public URI uri() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
  }

  public WsClient connect() {
    return WsClient.connect(uri());
  }

  public String metricsText() {
    StringBuilder sb = new StringBuilder();
    metrics.writeText(sb);
    return sb.toString();
  }

  /** The value of one series, 0 when absent. */
  public long metric(String series) {
    for (String line : metricsText().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Long.parseLong(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  /** Envelope copies in the store now (read through a second connection, as an operator would). */
  public long storedEnvelopes() {
    try (SqliteStore s = SqliteStore.open(dataDir)) {
      return s.total();
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
