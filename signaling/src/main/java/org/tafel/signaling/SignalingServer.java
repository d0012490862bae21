package org.tafel.signaling;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.signaling.FrameCodec;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.tls.CertificateFiles;
import org.tafel.protocol.token.Pseudonyms;
import org.tafel.protocol.token.UploadTokens;
import org.tafel.signaling.credentials.CredentialIssuer;
import org.tafel.signaling.delivery.ExpirySweeper;
import org.tafel.signaling.delivery.GroupCommitter;
import org.tafel.signaling.delivery.Router;
import org.tafel.signaling.delivery.TokenBucket;
import org.tafel.signaling.directory.Registrar;
import org.tafel.signaling.discovery.DiscoveryIndex;
import org.tafel.signaling.session.SessionContext;
import org.tafel.signaling.session.SessionRegistry;
import org.tafel.signaling.store.SqliteStore;
import org.tafel.signaling.transport.WebSocketInitializer;

/**
 * The signaling server: a WebSocket at {@code /v1/ws} (docs/protocol.md) in front of the stores.
 * Start it, read {@link #port()}, close it.
 */
public final class SignalingServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SignalingServer.class);

  private final SignalingConfig config;
  private final MetricsRegistry registry;
  private final Clock clock;
  private final Stores stores;
  private EventLoopGroup group;
  private ChannelGroup channels;
  private Channel listener;
  private GroupCommitter committer;
  private ExecutorService storeExecutor;
  private java.util.concurrent.ScheduledExecutorService maintenance;
  private ExpirySweeper sweeper;
  private SessionRegistry sessions;
  private volatile boolean running;

  /** A server on the embedded SQLite store in {@code config.dataDir()}. */
  public SignalingServer(SignalingConfig config, MetricsRegistry metrics, Clock clock) {
    this(config, metrics, clock, null);
  }

  /** A server on {@code stores} (closed with the server), or on SQLite when null. */
  public SignalingServer(
      SignalingConfig config, MetricsRegistry metrics, Clock clock, Stores stores) {
    this.config = config;
    this.registry = metrics;
    this.clock = clock;
    this.stores = stores;
  }

  private Stores openedStores;

  /** Opens the store and binds the listener. */
  public synchronized void start() throws SignalingStartException {
    if (running) {
      return;
    }
    try {
      openedStores = stores != null ? stores : Stores.sqlite(SqliteStore.open(config.dataDir()));
      SignalingMetrics metrics = new SignalingMetrics(registry);
      FrameCodec codec = new FrameCodec();
      sessions = new SessionRegistry();
      committer =
          new GroupCommitter(openedStores.envelopes(), config.limits().queueDepth(), registry);
      Router router = new Router(sessions::get, metrics);
      storeExecutor =
          Executors.newSingleThreadExecutor(
              new DefaultThreadFactory("tafel-signaling-store", true));
      DiscoveryIndex discovery = new DiscoveryIndex(config.limits().discoveryProbesPerDay(), clock);
      discovery.load(openedStores.identities().findable());
      Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
      SignalingConfig.Limits limits = config.limits();
      SessionContext context =
          new SessionContext(
              config,
              codec,
              clock,
              metrics,
              X25519.fromSecret(config.serverKey()),
              new SecureRandom(),
              openedStores.identities(),
              openedStores.envelopes(),
              committer,
              router,
              sessions,
              new Registrar(
                  openedStores.identities(),
                  config.registration(),
                  config.powBits(),
                  limits.registrationsPerAddressPerHour(),
                  clock),
              new CredentialIssuer(
                  config.relayUrls(),
                  config.turnSecret(),
                  new Pseudonyms(Pseudonyms.RELAY, config.relayPseudonymKey()),
                  limits.turnCredentialLifetime(),
                  config.uploadKeys() == null ? null : new UploadTokens(config.uploadKeys(), clock),
                  new Pseudonyms(Pseudonyms.BLOB, config.blobPseudonymKey()),
                  limits.uploadTokenValidity(),
                  limits.maxUploadBytes(),
                  clock),
              discovery,
              storeExecutor,
              id ->
                  buckets.computeIfAbsent(
                      id, k -> new TokenBucket(limits.sendRate(), limits.sendBurst(), clock)));
      sweeper = new ExpirySweeper(committer, router, clock, limits.receiptLifetime());
      metrics.gauge("tafel_signaling_sessions", "Logged-in sessions.", sessions::size);
      int threads =
          config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
      group =
          new MultiThreadIoEventLoopGroup(
              threads,
              new DefaultThreadFactory("tafel-signaling", true),
              NioIoHandler.newFactory());
      channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
      metrics.gauge(
          "tafel_signaling_connections", "Open WebSocket connections.", () -> channels.size());
      if (config.tlsCertificate() != null) {
        certificate =
            new CertificateFiles<>(
                "signaling",
                config.tlsCertificate(),
                config.tlsPrivateKey(),
                (cert, key) -> SslContextBuilder.forServer(cert.toFile(), key.toFile()).build());
      }
      ServerBootstrap b =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
              .childHandler(
                  new WebSocketInitializer(
                      context, certificate != null ? certificate::current : null, channels));
      var f = b.bind(new InetSocketAddress(config.bind(), config.port())).await();
      if (!f.isSuccess()) {
        Throwable c = f.cause();
        String m = String.valueOf(c.getMessage());
        throw new SignalingStartException(
            "signaling.port: "
                + config.port()
                + (c instanceof BindException || m.contains("in use")
                    ? " is in use ("
                    : " cannot be bound (")
                + m
                + ")",
            c);
      }
      listener = f.channel();
      long sweepMs = limits.expirySweep().toMillis();
      group.scheduleAtFixedRate(sweeper::tick, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
      if (certificate != null) {
        group.scheduleAtFixedRate(
            certificate::reloadIfChanged,
            CertificateFiles.CHECK_SECONDS,
            CertificateFiles.CHECK_SECONDS,
            TimeUnit.SECONDS);
      }
      maintenance =
          Executors.newSingleThreadScheduledExecutor(
              new DefaultThreadFactory("tafel-signaling-checkpoint", true));
      Runnable task = openedStores.maintenance();
      maintenance.scheduleWithFixedDelay(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.warn("signaling store maintenance failed: {}", e.toString());
            }
          },
          1,
          1,
          TimeUnit.SECONDS);
      running = true;
      LOG.info(
          "signaling listening: {} port {} at {}, {} registration, {} event loops",
          certificate != null ? "wss" : "ws",
          port(),
          WebSocketInitializer.PATH,
          config.registration().wire(),
          threads);
    } catch (SignalingStartException e) {
      close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new SignalingStartException("signaling: interrupted while starting", e);
    } catch (Exception e) {
      close();
      throw new SignalingStartException("signaling: could not start: " + e.getMessage(), e);
    }
  }

  /** The configured certificate, reloaded when its files change; null without TLS. */
  private CertificateFiles<SslContext> certificate;

  /**
   * Loads the configured certificate again if its files changed (checked every {@value
   * CertificateFiles#CHECK_SECONDS} s), so a renewed certificate is served without a restart; open
   * connections keep theirs. True when it reloaded.
   */
  public boolean reloadCertificateIfChanged() {
    return certificate != null && certificate.reloadIfChanged();
  }

  /** The bound port. */
  public int port() {
    return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public boolean isRunning() {
    return running;
  }

  /**
   * Sweeps expired envelopes now (it also runs every {@code limits.expiry-sweep}); completes with
   * the number expired, once their receipts are stored and handed to online senders.
   */
  public CompletableFuture<Integer> sweepExpired() {
    return sweeper.sweep();
  }

  @Override
  public synchronized void close() {
    running = false;
    if (listener != null) {
      listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      listener = null;
    }
    if (channels != null) {
      channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      group = null;
    }
    if (maintenance != null) {
      maintenance.shutdownNow();
      maintenance = null;
    }
    if (committer != null) {
      committer.close();
      committer = null;
    }
    if (storeExecutor != null) {
      storeExecutor.shutdown();
      try {
        storeExecutor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      storeExecutor = null;
    }
    if (openedStores != null) {
      try {
        openedStores.closer().close();
      } catch (Exception e) {
        LOG.warn("signaling store: error while closing: {}", e.toString());
      }
      openedStores = null;
    }
  }
}
