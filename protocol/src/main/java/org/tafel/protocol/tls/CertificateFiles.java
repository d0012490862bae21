package org.tafel.protocol.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate chain and its private key as PEM files, loaded into a {@code T} (a Netty {@code
 * SslContext} in the servers) and loaded again by {@link #reloadIfChanged} when either file's
 * modification time changed. Connections already open keep what they started with; a changed file
 * that does not load keeps the old value and logs why, so a half-copied renewal never takes a
 * listener down.
 *
 * @param <T> what the files are loaded into
 */
public final class CertificateFiles<T> {
  /** How often the servers check the files. */
  public static final int CHECK_SECONDS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(CertificateFiles.class);

  /** Turns the two files into a {@code T}. */
  @FunctionalInterface
  public interface Loader<T> {
    T load(Path certificate, Path privateKey) throws Exception;
  }

  private final String service;
  private final Path certificate;
  private final Path privateKey;
  private final Loader<T> loader;
  private volatile T current;
  private long stamp;

  /**
   * Loads the files now.
   *
   * @param service names the listener in log lines, e.g. {@code "relay"}
   * @throws Exception what {@code loader} threw for the files as they are now
   */
  public CertificateFiles(String service, Path certificate, Path privateKey, Loader<T> loader)
      throws Exception {
    this.service = service;
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.loader = loader;
    this.stamp = stamp();
    this.current = loader.load(certificate, privateKey);
  }

  /** The value loaded last. */
  public T current() {
    return current;
  }

  /** Loads the files again if they changed since the last load; true when the value changed. */
  public synchronized boolean reloadIfChanged() {
    long now = stamp();
    if (now == stamp) {
      return false;
    }
    try {
      current = loader.load(certificate, privateKey);
      stamp = now;
      LOG.info("{} TLS: certificate reloaded", service);
      return true;
    } catch (Exception e) {
      LOG.warn(
          "{} TLS: certificate changed but does not load, keeping the old one: {}",
          service,
          e.toString());
      return false;
    }
  }

  private long stamp() {
    try {
      return Files.getLastModifiedTime(certificate).toMillis() * 31
          + Files.getLastModifiedTime(privateKey).toMillis();
    } catch (IOException e) {
      return -1;
    }
  }
}
