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

  public BlobConfig withBind(InetAddress bind) {
    return new BlobConfig(
        bind,
        port,
        directory,
        uploadTokenKeys,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        eventLoopThreads,
        ioThreads);
  }

  public BlobConfig withTls(Path certificate, Path privateKey) {
    return new BlobConfig(
        bindAddress,
        port,
        directory,
        uploadTokenKeys,
        certificate,
        privateKey,
        limits,
        eventLoopThreads,
        ioThreads);
  }

  public BlobConfig withLimits(Limits limits) {
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
      return new Limits(
          maxBytes,
          defaultExpiry,
          maxExpiry,
          maxDownloads,
          Math.max(quotaBytes, maxBytes),
          uploadsPerMinute,
          concurrentUploads,
          idleTimeout,
          maxHeaderBytes,
          uploadExpiry,
          sweepInterval);
    }

    public Limits withQuota(long quotaBytes, int uploadsPerMinute) {
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

    public Limits withConcurrentUploads(int concurrentUploads) {
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

    public Limits withIdleTimeout(Duration idleTimeout) {
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

    public Limits withExpiry(Duration defaultExpiry, Duration maxExpiry) {
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
