package org.tafel.blob;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.tafel.protocol.token.KeyRing;

/**
 * Everything a {@link BlobServer} needs, validated once in the constructor; defaults in {@link
 * #defaults(Path, KeyRing)} and {@link Limits#defaults()}.
 *
 * @param bindAddress address the HTTP listener binds to (default 127.0.0.1)
 * @param port HTTP port (default 8081; 0 picks a free port)
 * @param directory where blobs, tus uploads and temporary files live ({@code DATA/blobs})
 * @param uploadTokenKeys keys that sign {@code ut1} upload tokens (all listed are accepted)
 * @param tlsCertificate PEM certificate chain, or null for plain HTTP
 * @param tlsPrivateKey PEM PKCS#8 key matching {@code tlsCertificate}, or null
 * @param limits sizes, lifetimes, quotas and timeouts
 * @param eventLoopThreads Netty event loops (0 = number of cores)
 * @param ioThreads threads that write, sync and rename files, off the event loops
 */
public record BlobConfig(
    InetAddress bindAddress,
    int port,
    Path directory,
    KeyRing uploadTokenKeys,
    Path tlsCertificate,
    Path tlsPrivateKey,
    Limits limits,
    int eventLoopThreads,
    int ioThreads) {

  public static final int DEFAULT_PORT = 8081;

  public BlobConfig {
    Objects.requireNonNull(bindAddress, "bind");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(uploadTokenKeys, "upload token keys");
    if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
      throw new IllegalArgumentException(
          "tls-certificate/tls-private-key: only one given (expected: both or neither)");
    }
    Objects.requireNonNull(limits, "limits");
    if (eventLoopThreads < 0 || eventLoopThreads > 256) {
      throw new IllegalArgumentException(
          "threads: " + eventLoopThreads + " (expected: 0..256, 0 = number of cores)");
    }
    if (ioThreads < 1 || ioThreads > 256) {
      throw new IllegalArgumentException("io-threads: " + ioThreads + " (expected: 1..256)");
    }
  }

  /** Loopback, port 8081, default limits, no TLS. */
  public static BlobConfig defaults(Path directory, KeyRing uploadTokenKeys) {
    return new BlobConfig(
        InetAddress.getLoopbackAddress(),
        DEFAULT_PORT,
        directory,
        uploadTokenKeys,
        null,
        null,
        Limits.defaults(),
        0,
        4);
  }

  public BlobConfig withPort(int port) {
    return with(c -> c.port = port);
  }

  public BlobConfig withBind(InetAddress bind) {
    return with(c -> c.bindAddress = bind);
  }

  public BlobConfig withTls(Path certificate, Path privateKey) {
    return with(
        c -> {
          c.tlsCertificate = certificate;
          c.tlsPrivateKey = privateKey;
        });
  }

  public BlobConfig withLimits(Limits limits) {
    return with(c -> c.limits = limits);
  }

  /** A copy with {@code change} applied to its fields, validated like any other. */
  private BlobConfig with(java.util.function.Consumer<ConfigFields> change) {
    ConfigFields c = new ConfigFields(this);
    change.accept(c);
    return c.build();
  }

  /** The fields of a {@link BlobConfig} as plain variables, for the {@code with...} methods. */
  private static final class ConfigFields {
    InetAddress bindAddress;
    int port;
    Path directory;
    KeyRing uploadTokenKeys;
    Path tlsCertificate;
    Path tlsPrivateKey;
    Limits limits;
    int eventLoopThreads;
    int ioThreads;

    ConfigFields(BlobConfig from) {
      bindAddress = from.bindAddress;
      port = from.port;
      directory = from.directory;
      uploadTokenKeys = from.uploadTokenKeys;
      tlsCertificate = from.tlsCertificate;
      tlsPrivateKey = from.tlsPrivateKey;
      limits = from.limits;
      eventLoopThreads = from.eventLoopThreads;
      ioThreads = from.ioThreads;
    }

    BlobConfig build() {
      return new BlobConfig(
          bindAddress,
          port,
          directory,
          uploadTokenKeys,
          tlsCertificate,
          tlsPrivateKey,
          limits,
          eventLoopThreads,
          ioThreads);
    }
  }

  public boolean tls() {
    return tlsCertificate != null;
  }

  /**
   * Limits against large, many, slow or hostile uploads (docs/blob-store.md lists them).
   *
   * @param maxBytes largest blob (default 100 MiB; {@code blob.max-bytes})
   * @param defaultExpiry lifetime of a blob whose upload names none (default 14 days)
   * @param maxExpiry longest lifetime an upload may ask for (default 30 days)
   * @param maxDownloads largest {@code Tafel-Downloads} count (default 10,000)
   * @param quotaBytes bytes one owner pseudonym may hold, stored plus in progress (default the
   *     larger of 5 GiB and {@code maxBytes})
   * @param uploadsPerMinute uploads one owner may start per minute (default 60)
   * @param concurrentUploads request bodies received at once on this node (default 64; 503 beyond)
   * @param idleTimeout a connection with neither read nor write this long is closed (default 60 s)
   * @param maxHeaderBytes request line and header block limit each (default 16 KiB; 414/431 beyond)
   * @param uploadExpiry how long an unfinished tus upload is kept (default 24 h), and a finished
   *     one's record (its blob ID and delete token) at most
   * @param sweepInterval time between sweeper passes (default 60 s)
   */
  public record Limits(
      long maxBytes,
      Duration defaultExpiry,
      Duration maxExpiry,
      int maxDownloads,
      long quotaBytes,
      int uploadsPerMinute,
      int concurrentUploads,
      Duration idleTimeout,
      int maxHeaderBytes,
      Duration uploadExpiry,
      Duration sweepInterval) {
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
    public static final long MAX_MAX_BYTES = 1L << 40;
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(14);
    public static final Duration DEFAULT_MAX_EXPIRY = Duration.ofDays(30);
    public static final long DEFAULT_QUOTA_BYTES = 5L << 30;

    public Limits {
      checkRange("max-bytes", maxBytes, 1, MAX_MAX_BYTES);
      checkDuration("default-expiry", defaultExpiry, Duration.ofDays(3650));
      checkDuration("max-expiry", maxExpiry, Duration.ofDays(3650));
      if (defaultExpiry.compareTo(maxExpiry) > 0) {
        throw new IllegalArgumentException(
            "default-expiry: "
                + defaultExpiry.toSeconds()
                + "s (expected: at most max-expiry, "
                + maxExpiry.toSeconds()
                + "s)");
      }
      checkRange("max-downloads", maxDownloads, 1, 1_000_000);
      if (quotaBytes < maxBytes) {
        throw new IllegalArgumentException(
            "quota-bytes: " + quotaBytes + " (expected: at least max-bytes, " + maxBytes + ")");
      }
      checkRange("uploads-per-minute", uploadsPerMinute, 1, 1_000_000);
      checkRange("concurrent-uploads", concurrentUploads, 1, 100_000);
      checkDuration("idle-timeout", idleTimeout, Duration.ofHours(1));
      checkRange("max-header-bytes", maxHeaderBytes, 1024, 1 << 20);
      checkDuration("upload-expiry", uploadExpiry, Duration.ofDays(30));
      checkDuration("sweep-interval", sweepInterval, Duration.ofDays(1));
    }

    public static Limits defaults() {
      return new Limits(
          DEFAULT_MAX_BYTES,
          DEFAULT_EXPIRY,
          DEFAULT_MAX_EXPIRY,
          10_000,
          DEFAULT_QUOTA_BYTES,
          60,
          64,
          Duration.ofSeconds(60),
          16 * 1024,
          Duration.ofHours(24),
          Duration.ofSeconds(60));
    }

    /** These limits with {@code maxBytes}, the quota raised to it when below. */
    public Limits withMaxBytes(long maxBytes) {
      return with(
          c -> {
            c.maxBytes = maxBytes;
            c.quotaBytes = Math.max(c.quotaBytes, maxBytes);
          });
    }

    public Limits withQuota(long quotaBytes, int uploadsPerMinute) {
      return with(
          c -> {
            c.quotaBytes = quotaBytes;
            c.uploadsPerMinute = uploadsPerMinute;
          });
    }

    public Limits withConcurrentUploads(int concurrentUploads) {
      return with(c -> c.concurrentUploads = concurrentUploads);
    }

    public Limits withIdleTimeout(Duration idleTimeout) {
      return with(c -> c.idleTimeout = idleTimeout);
    }

    public Limits withExpiry(Duration defaultExpiry, Duration maxExpiry) {
      return with(
          c -> {
            c.defaultExpiry = defaultExpiry;
            c.maxExpiry = maxExpiry;
          });
    }

    /** A copy with {@code change} applied to its fields, validated like any other. */
    private Limits with(java.util.function.Consumer<LimitFields> change) {
      LimitFields c = new LimitFields(this);
      change.accept(c);
      return c.build();
    }

    /** The fields of a {@link Limits} as plain variables, for the {@code with...} methods. */
    private static final class LimitFields {
      long maxBytes;
      Duration defaultExpiry;
      Duration maxExpiry;
      int maxDownloads;
      long quotaBytes;
      int uploadsPerMinute;
      int concurrentUploads;
      Duration idleTimeout;
      int maxHeaderBytes;
      Duration uploadExpiry;
      Duration sweepInterval;

      LimitFields(Limits from) {
        maxBytes = from.maxBytes;
        defaultExpiry = from.defaultExpiry;
        maxExpiry = from.maxExpiry;
        maxDownloads = from.maxDownloads;
        quotaBytes = from.quotaBytes;
        uploadsPerMinute = from.uploadsPerMinute;
        concurrentUploads = from.concurrentUploads;
        idleTimeout = from.idleTimeout;
        maxHeaderBytes = from.maxHeaderBytes;
        uploadExpiry = from.uploadExpiry;
        sweepInterval = from.sweepInterval;
      }

      Limits build() {
        return new Limits(
            maxBytes,
            defaultExpiry,
            maxExpiry,
            maxDownloads,
            quotaBytes,
            uploadsPerMinute,
            concurrentUploads,
            idleTimeout,
            maxHeaderBytes,
            uploadExpiry,
            sweepInterval);
      }
    }

    private static void checkRange(String key, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            key + ": " + value + " (expected: " + min + ".." + max + ")");
      }
    }

    private static void checkDuration(String key, Duration d, Duration max) {
      if (d == null || d.toSeconds() < 1 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            key
                + ": "
                + (d == null ? "missing" : d.toSeconds() + "s")
                + " (expected: 1s.."
                + max.toSeconds()
                + "s)");
      }
    }
  }
}
