package org.tafel.server;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.relay.RelayServer;
import org.tafel.server.config.ConfigException;
import org.tafel.server.config.GeneratedSecrets;
import org.tafel.server.config.Secret;
import org.tafel.server.config.Service;
import org.tafel.server.config.TafelConfig;
import org.tafel.signaling.SignalingConfig;

/** Builds the signaling service's config from the Tafel config and the data directory. */
final class SignalingWiring {
  private static final Logger LOG = LoggerFactory.getLogger(SignalingWiring.class);

  private SignalingWiring() {}

  /**
   * The signaling service's config: keys from {@code DATA/secrets} (generated on first start), the
   * relay's TURN secret, relay URLs configured or derived from the relay of this process.
   */
  static SignalingConfig config(TafelConfig config, RelayServer relay) {
    TafelConfig.Signaling s = config.signaling();
    GeneratedSecrets secrets = new GeneratedSecrets(config.dataDir(), new SecureRandom());
    GeneratedSecrets.Result serverKey = secrets.loadOrCreate(GeneratedSecrets.SIGNALING_SERVER_KEY);
    byte[] serverSecret;
    try {
      serverSecret = java.util.HexFormat.of().parseHex(serverKey.secret().text());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          serverKey.file() + ": not 64 hex characters (delete it to generate a new server key)");
    }
    if (serverSecret.length != 32) {
      throw new ConfigException(
          serverKey.file() + ": not 64 hex characters (delete it to generate a new server key)");
    }
    if (serverKey.created()) {
      LOG.info(
          "signaling: generated the server's long-term key in {} (clients pin its public key)",
          serverKey.file());
    }
    List<String> relayUrls = new ArrayList<>(s.relayUrls());
    if (relayUrls.isEmpty() && relay != null) {
      String host =
          (config.relay().externalIp() != null ? config.relay().externalIp() : config.bind())
              .getHostAddress();
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
      relayUrls.add("turn:" + host + ":" + relay.turnPort() + "?transport=udp");
      relayUrls.add("turn:" + host + ":" + relay.turnPort() + "?transport=tcp");
      if (relay.turnsPort() > 0) {
        relayUrls.add("turns:" + host + ":" + relay.turnsPort() + "?transport=tcp");
      }
    }
    // the relay's newest shared secret: configured, or the one the relay of this process generated
    byte[] turnSecret = null;
    if (!config.relay().needsGeneratedSecret()) {
      List<Secret> turn = config.relay().turnSecrets();
      turnSecret = turn.isEmpty() ? null : turn.get(0).value();
    } else if (config.runs(Service.RELAY)) {
      turnSecret = secrets.loadOrCreate(GeneratedSecrets.TURN_SECRET).secret().value();
    }
    boolean open =
        s.registration() == null
            ? config.bind().isLoopbackAddress()
            : s.registration().equals("open");
    SignalingConfig.Limits limits =
        SignalingConfig.Limits.defaults()
            .withQueueDepth(s.queueDepth())
            .withRates(s.sendRate(), s.sendBurst())
            .withNormalLifetime(java.time.Duration.ofDays(s.normalLifetimeDays()))
            .withMaxUploadBytes(config.blob().maxBytes());
    try {
      return SignalingConfig.builder(config.dataDir(), serverSecret)
          .bind(config.bind())
          .port(s.port())
          .tls(config.tls().certificate(), config.tls().privateKey())
          .registration(
              open ? SignalingConfig.Registration.OPEN : SignalingConfig.Registration.LICENCE,
              s.powBits())
          .limits(limits)
          .relay(
              relayUrls,
              turnSecret,
              secrets.loadOrCreate(GeneratedSecrets.RELAY_PSEUDONYM_KEY).secret().value())
          .uploads(
              secrets.keyRing(GeneratedSecrets.UPLOAD_TOKEN_KEY),
              secrets.loadOrCreate(GeneratedSecrets.BLOB_PSEUDONYM_KEY).secret().value())
          .discoveryKey(
              java.util.HexFormat.of()
                  .parseHex(secrets.loadOrCreate(GeneratedSecrets.DISCOVERY_KEY).secret().text()))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("signaling." + e.getMessage(), e);
    }
  }
}
