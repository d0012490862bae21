package org.tafel.signaling;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.ProofOfWork;
import org.tafel.protocol.token.KeyRing;

/**
 * Everything a {@link SignalingServer} needs, validated here; defaults sit next to the fields in
 * {@link Builder}. Keys are raw bytes (the server module reads them from {@code DATA/secrets}).
 *
 * @param bind listener address
 * @param port listener port, 0 for any free port
 * @param dataDir holds {@code signaling.db}
 * @param tlsCertificate PEM chain, or null for plain WebSocket (loopback or {@code --insecure})
 * @param tlsPrivateKey PEM PKCS#8 key, or null
 * @param serverKey the server's long-term X25519 secret (32 bytes)
 * @param registration licence codes or open registration with proof-of-work
 * @param powBits zero bits the open-registration proof-of-work needs (0..40)
 * @param limits queue lifetimes, sizes and rates
 * @param relayUrls relay URLs handed out with {@code turn-credentials}
 * @param turnSecret TURN REST shared secret, or null (then {@code turn-credentials} is {@code
 *     unavailable})
 * @param relayPseudonymKey keys the relay pseudonym in TURN usernames
 * @param uploadKeys signs {@code ut1} upload tokens, or null (then {@code upload-token} is {@code
 *     unavailable})
 * @param blobPseudonymKey keys the blob-store pseudonym ({@code sub} of upload tokens)
 * @param discoveryKey the deployment's discovery key (HMAC-SHA256 key of probe hashes)
 * @param threads event loops, 0 = cores
 */
public record SignalingConfig(
    InetAddress bind,
    int port,
    Path dataDir,
    Path tlsCertificate,
    Path tlsPrivateKey,
    byte[] serverKey,
    Registration registration,
    int powBits,
    Limits limits,
    List<String> relayUrls,
    byte[] turnSecret,
    byte[] relayPseudonymKey,
    KeyRing uploadKeys,
    byte[] blobPseudonymKey,
    byte[] discoveryKey,
    int threads) {

  /** How identities are created. */
  public enum Registration {
    /** A school-issued licence code registers one identity ({@code tafel admin licence create}). */
    LICENCE,
    /** Anyone may register with a proof-of-work. */
    OPEN;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public SignalingConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "data-dir");
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(limits, "limits");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
      throw new IllegalArgumentException(
          "tls: only one of certificate and private key is set (expected: both or neither)");
    }
    if (serverKey == null || serverKey.length != 32) {
      throw new IllegalArgumentException("server-key: expected 32 bytes");
    }
    if (powBits < 0 || powBits > ProofOfWork.MAX_BITS) {
      throw new IllegalArgumentException(
          "pow-bits: " + powBits + " (expected: 0.." + ProofOfWork.MAX_BITS + ")");
    }
    relayUrls = List.copyOf(relayUrls);
    for (String url : relayUrls) {
      if (!isRelayUrl(url)) {
        throw new IllegalArgumentException(
            "relay-urls: '" + url + "' (expected: turn:HOST:PORT or turns:HOST:PORT, RFC 7065)");
      }
    }
    checkKey("relay-pseudonym-key", relayPseudonymKey);
    checkKey("blob-pseudonym-key", blobPseudonymKey);
    checkKey("discovery-key", discoveryKey);
    if (threads < 0 || threads > 256) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: 0..256)");
    }
    serverKey = serverKey.clone();
  }

  /**
   * How long a new connection has to register or log in: {@code limits.login-timeout}, and with
   * open registration above 20 proof-of-work bits that much more per extra bit (the work is bound
   * to the connection's challenge, so it must fit), at most the idle timeout.
   */
  public Duration loginDeadline() {
    Duration base = limits.loginTimeout();
    if (registration == Registration.OPEN && powBits > 20) {
      base = base.multipliedBy(1L << Math.min(powBits - 20, 20));
    }
    return base.compareTo(limits.idleTimeout()) < 0 ? base : limits.idleTimeout();
  }

  /** A TURN URI (RFC 7065): {@code turn:HOST:PORT[?transport=...]} or {@code turns:...}. */
  public static boolean isRelayUrl(String url) {
    return url.matches("turns?:[^\\s]+");
  }

  private static void checkKey(String name, byte[] key) {
    if (key == null || key.length < 16) {
      throw new IllegalArgumentException(name + ": expected at least 16 bytes");
    }
  }

  public static Builder builder(Path dataDir, byte[] serverKey) {
    return new Builder(dataDir, serverKey);
  }

  /**
   * Queue lifetimes, sizes and rates (DESIGN.md §4).
   *
   * @param normalLifetime how long a normal envelope waits for its ack (default 30 days)
   * @param shortLifetime how long a short-lived envelope waits (default 60 s)
   * @param receiptLifetime how long an {@code expired} receipt waits for its sender (default =
   *     normal)
   * @param maxBoxBytes largest ciphertext per recipient (default 65,536)
   * @param maxFrameBytes largest WebSocket message (default 98,304: a 64 KiB box in base64 is
   *     87,384 characters, plus the header)
   * @param maxRecipients recipients per send (default 100)
   * @param queueDepth envelopes queued per recipient (default 10,000)
   * @param sendRate sends per second per identity, sustained (default 20)
   * @param sendBurst sends an identity may make at once (default 200)
   * @param registrationsPerAddressPerHour generous, a school sits behind one NAT (default 500)
   * @param discoveryProbesPerDay new probe hashes per identity and UTC day (default 2,000)
   * @param expirySweep how often expired envelopes are swept (default 1 s)
   * @param idleTimeout a connection that sends nothing this long is closed (default 5 min)
   * @param uploadTokenValidity lifetime of issued upload tokens (default 1 h, at most 1 h)
   * @param maxUploadBytes largest {@code cap} of an upload token (default 100 MiB)
   * @param turnCredentialLifetime TURN REST credential lifetime (default 12 h)
   * @param loginTimeout a connection that has not registered or logged in this long after it opened
   *     is closed with {@code login-timeout} (default 30 s)
   */
  public record Limits(
      Duration normalLifetime,
      Duration shortLifetime,
      Duration receiptLifetime,
      int maxBoxBytes,
      int maxFrameBytes,
      int maxRecipients,
      int queueDepth,
      double sendRate,
      int sendBurst,
      int registrationsPerAddressPerHour,
      int discoveryProbesPerDay,
      Duration expirySweep,
      Duration idleTimeout,
      Duration uploadTokenValidity,
      long maxUploadBytes,
      Duration turnCredentialLifetime,
      Duration loginTimeout) {
    public static final Duration DEFAULT_NORMAL_LIFETIME = Duration.ofDays(30);
    public static final Duration DEFAULT_SHORT_LIFETIME = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_FRAME_BYTES = 96 * 1024;
    public static final int DEFAULT_QUEUE_DEPTH = 10_000;
    public static final double DEFAULT_SEND_RATE = 20;
    public static final int DEFAULT_SEND_BURST = 200;

    public Limits {
      positive("normal-lifetime", normalLifetime);
      positive("short-lifetime", shortLifetime);
      positive("receipt-lifetime", receiptLifetime);
      positive("expiry-sweep", expirySweep);
      positive("idle-timeout", idleTimeout);
      positive("turn-credential-lifetime", turnCredentialLifetime);
      positive("login-timeout", loginTimeout);
      if (shortLifetime.compareTo(normalLifetime) > 0) {
        throw new IllegalArgumentException(
            "short-lifetime: "
                + shortLifetime.toSeconds()
                + "s (expected: at most normal-lifetime, "
                + normalLifetime.toSeconds()
                + "s)");
      }
      range("max-box-bytes", maxBoxBytes, 1, ClientFrame.MAX_BOX_BYTES);
      range("max-frame-bytes", maxFrameBytes, 1024, 16 * 1024 * 1024);
      range("max-recipients", maxRecipients, 1, 10_000);
      range("queue-depth", queueDepth, 1, 10_000_000);
      range("send-burst", sendBurst, 1, 10_000_000);
      range("registrations-per-address-per-hour", registrationsPerAddressPerHour, 1, 10_000_000);
      range("discovery-probes-per-day", discoveryProbesPerDay, 0, 10_000_000);
      if (!(sendRate > 0)) {
        throw new IllegalArgumentException(
            "send-rate: " + sendRate + " (expected: > 0 per second)");
      }
      if (uploadTokenValidity.isNegative()
          || uploadTokenValidity.isZero()
          || uploadTokenValidity.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "upload-token-validity: "
                + uploadTokenValidity.toSeconds()
                + "s (expected: 1s..3600s)");
      }
      if (maxUploadBytes <= 0) {
        throw new IllegalArgumentException(
            "max-upload-bytes: " + maxUploadBytes + " (expected: > 0)");
      }
    }

    public static Limits defaults() {
      return new Limits(
          DEFAULT_NORMAL_LIFETIME,
          DEFAULT_SHORT_LIFETIME,
          DEFAULT_NORMAL_LIFETIME,
          ClientFrame.MAX_BOX_BYTES,
          DEFAULT_MAX_FRAME_BYTES,
          100,
          DEFAULT_QUEUE_DEPTH,
          DEFAULT_SEND_RATE,
          DEFAULT_SEND_BURST,
          500,
          2_000,
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          Duration.ofHours(1),
          100L * 1024 * 1024,
          Duration.ofHours(12),
          Duration.ofSeconds(30));
    }

    public Limits withRates(double rate, int burst) {
      return with(
          c -> {
            c.sendRate = rate;
            c.sendBurst = burst;
          });
    }

    public Limits withQueueDepth(int depth) {
      return with(c -> c.queueDepth = depth);
    }

    /** Normal envelopes and expired receipts both live {@code normal}. */
    public Limits withNormalLifetime(Duration normal) {
      return with(
          c -> {
            c.normalLifetime = normal;
            c.receiptLifetime = normal;
          });
    }

    public Limits withDiscoveryProbesPerDay(int probes) {
      return with(c -> c.discoveryProbesPerDay = probes);
    }

    public Limits withMaxUploadBytes(long max) {
      return with(c -> c.maxUploadBytes = max);
    }

    public Limits withExpirySweep(Duration every) {
      return with(c -> c.expirySweep = every);
    }

    public Limits withRegistrationsPerAddressPerHour(int registrations) {
      return with(c -> c.registrationsPerAddressPerHour = registrations);
    }

    public Limits withLoginTimeout(Duration timeout) {
      return with(c -> c.loginTimeout = timeout);
    }

    /** A copy with {@code change} applied to its fields, validated like any other. */
    private Limits with(java.util.function.Consumer<Fields> change) {
      Fields c = new Fields(this);
      change.accept(c);
      return c.limits();
    }

    /** The fields of a {@link Limits} as plain variables, for the {@code with...} methods. */
    private static final class Fields {
      Duration normalLifetime;
      Duration shortLifetime;
      Duration receiptLifetime;
      int maxBoxBytes;
      int maxFrameBytes;
      int maxRecipients;
      int queueDepth;
      double sendRate;
      int sendBurst;
      int registrationsPerAddressPerHour;
      int discoveryProbesPerDay;
      Duration expirySweep;
      Duration idleTimeout;
      Duration uploadTokenValidity;
      long maxUploadBytes;
      Duration turnCredentialLifetime;
      Duration loginTimeout;

      Fields(Limits from) {
        normalLifetime = from.normalLifetime;
        shortLifetime = from.shortLifetime;
        receiptLifetime = from.receiptLifetime;
        maxBoxBytes = from.maxBoxBytes;
        maxFrameBytes = from.maxFrameBytes;
        maxRecipients = from.maxRecipients;
        queueDepth = from.queueDepth;
        sendRate = from.sendRate;
        sendBurst = from.sendBurst;
        registrationsPerAddressPerHour = from.registrationsPerAddressPerHour;
        discoveryProbesPerDay = from.discoveryProbesPerDay;
        expirySweep = from.expirySweep;
        idleTimeout = from.idleTimeout;
        uploadTokenValidity = from.uploadTokenValidity;
        maxUploadBytes = from.maxUploadBytes;
        turnCredentialLifetime = from.turnCredentialLifetime;
        loginTimeout = from.loginTimeout;
      }

      Limits limits() {
        return new Limits(
            normalLifetime,
            shortLifetime,
            receiptLifetime,
            maxBoxBytes,
            maxFrameBytes,
            maxRecipients,
            queueDepth,
            sendRate,
            sendBurst,
            registrationsPerAddressPerHour,
            discoveryProbesPerDay,
            expirySweep,
            idleTimeout,
            uploadTokenValidity,
            maxUploadBytes,
            turnCredentialLifetime,
            loginTimeout);
      }
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
    }

    private static void range(String name, long v, long min, long max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            name + ": " + v + " (expected: " + min + ".." + max + ")");
      }
    }
  }

  /** Builds a config; every field starts at its default. */
  public static final class Builder {
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private int port = 8080;
    private final Path dataDir;
    private final byte[] serverKey;
    private Path tlsCertificate;
    private Path tlsPrivateKey;
    private Registration registration = Registration.OPEN;
    private int powBits = 20;
    private Limits limits = Limits.defaults();
    private List<String> relayUrls = List.of();
    private byte[] turnSecret;
    private byte[] relayPseudonymKey;
    private KeyRing uploadKeys;
    private byte[] blobPseudonymKey;
    private byte[] discoveryKey;
    private int threads;

    private Builder(Path dataDir, byte[] serverKey) {
      this.dataDir = dataDir;
      this.serverKey = serverKey;
      java.security.SecureRandom r = new java.security.SecureRandom();
      relayPseudonymKey = new byte[32];
      blobPseudonymKey = new byte[32];
      discoveryKey = new byte[32];
      r.nextBytes(relayPseudonymKey);
      r.nextBytes(blobPseudonymKey);
      r.nextBytes(discoveryKey);
    }

    public Builder bind(InetAddress a) {
      bind = a;
      return this;
    }

    public Builder port(int p) {
      port = p;
      return this;
    }

    public Builder tls(Path certificate, Path privateKey) {
      tlsCertificate = certificate;
      tlsPrivateKey = privateKey;
      return this;
    }

    public Builder registration(Registration r, int bits) {
      registration = r;
      powBits = bits;
      return this;
    }

    public Builder limits(Limits l) {
      limits = l;
      return this;
    }

    public Builder relay(List<String> urls, byte[] secret, byte[] pseudonymKey) {
      relayUrls = urls;
      turnSecret = secret;
      relayPseudonymKey = pseudonymKey;
      return this;
    }

    public Builder uploads(KeyRing keys, byte[] pseudonymKey) {
      uploadKeys = keys;
      blobPseudonymKey = pseudonymKey;
      return this;
    }

    public Builder discoveryKey(byte[] key) {
      discoveryKey = key;
      return this;
    }

    public Builder threads(int n) {
      threads = n;
      return this;
    }

    public SignalingConfig build() {
      return new SignalingConfig(
          bind,
          port,
          dataDir,
          tlsCertificate,
          tlsPrivateKey,
          serverKey,
          registration,
          powBits,
          limits,
          relayUrls,
          turnSecret,
          relayPseudonymKey,
          uploadKeys,
          blobPseudonymKey,
          discoveryKey,
          threads);
    }
  }
}
