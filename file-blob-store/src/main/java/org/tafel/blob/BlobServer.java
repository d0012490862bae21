package org.tafel.blob;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.blob.expiry.Sweeper;
import org.tafel.blob.http.BlobEndpoints;
import org.tafel.blob.http.BlobHttpHandler;
import org.tafel.blob.http.BodyReceiver;
import org.tafel.blob.http.Cors;
import org.tafel.blob.http.Exchange;
import org.tafel.blob.http.Router;
import org.tafel.blob.http.Services;
import org.tafel.blob.storage.BlobCatalog;
import org.tafel.blob.storage.FileBlobStorage;
import org.tafel.blob.tokens.Quotas;
import org.tafel.blob.tokens.UploadAuthorizer;
import org.tafel.blob.tus.TusEndpoints;
import org.tafel.blob.tus.TusStore;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.tls.CertificateFiles;

/**
 * The blob store's HTTP server (DESIGN.md §6) built from one {@link BlobConfig}: start it, read the
 * port, close it. At start it loads the stored blobs (removing what a crash left half-written),
 * clears temporary files, reloads tus uploads and runs one sweep before it binds.
 */
public final class BlobServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlobServer.class);

  private final BlobConfig config;
  private final MetricsRegistry registry;
  private final Clock clock;
  private final ScheduledExecutorService sweeperExecutor;
  private final boolean ownsSweeperExecutor;
  private final SecureRandom random = new SecureRandom();
  private EventLoopGroup group;
  private ExecutorService io;
  private Channel listener;
  private Sweeper sweeper;
  private BlobCatalog catalog;
  private TusStore tus;
  private Services services;
  private volatile CertificateFiles<SslContext> certificate;
  private volatile boolean running;

  /** A server sweeping on its own single thread. */
  public BlobServer(BlobConfig config, MetricsRegistry metrics, Clock clock) {
    this(config, metrics, clock, null);
  }

  /**
   * @param sweeperExecutor runs the periodic sweep, or null for a thread of the server's own
   */
  public BlobServer(
      BlobConfig config,
      MetricsRegistry metrics,
      Clock clock,
      ScheduledExecutorService sweeperExecutor) {
    this.config = config;
    this.registry = metrics;
    this.clock = clock;
    this.ownsSweeperExecutor = sweeperExecutor == null;
    this.sweeperExecutor =
        sweeperExecutor != null
            ? sweeperExecutor
            : Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("tafel-blob-sweeper", true));
  }

  /** Loads state, sweeps once, binds. Throws {@link BlobStartException} naming what failed. */
  public synchronized void start() throws BlobStartException {
    if (running) {
      return;
    }
    try {
      BlobMetrics metrics = new BlobMetrics(registry);
      Path dir = config.directory();
      FileBlobStorage storage = new FileBlobStorage(dir);
      storage.clearTemporaries();
      Quotas quotas =
          new Quotas(config.limits().quotaBytes(), config.limits().uploadsPerMinute(), clock);
      catalog = new BlobCatalog(storage, quotas, metrics, clock, random);
      catalog.load();
      tus =
          new TusStore(
              dir.resolve("uploads"), storage.tmpDirectory(), catalog, quotas, clock, random);
      tus.load();
      io =
          Executors.newFixedThreadPool(
              config.ioThreads(), new DefaultThreadFactory("tafel-blob-io", true));
      services =
          new Services(
              config.limits(),
              catalog,
              storage,
              quotas,
              new UploadAuthorizer(config.uploadTokenKeys(), clock),
              io,
              clock,
              metrics,
              new Services.Slots(config.limits().concurrentUploads()));
      sweeper = new Sweeper(catalog, storage, tus::sweep, quotas, metrics);
      sweeper.runOnce();
      sweeper.schedule(sweeperExecutor, config.limits().sweepInterval());
      registerGauges(metrics);

      CertificateFiles<SslContext> tls = config.tls() ? certificate() : null;
      BlobEndpoints blobs = new BlobEndpoints(services);
      TusEndpoints tusEndpoints = new TusEndpoints(services, tus);
      Router router = exchange -> route(exchange, blobs, tusEndpoints);
      int threads =
          config.eventLoopThreads() > 0
              ? config.eventLoopThreads()
              : Runtime.getRuntime().availableProcessors();
      group =
          new MultiThreadIoEventLoopGroup(
              threads, new DefaultThreadFactory("tafel-blob", true), NioIoHandler.newFactory());
      int header = config.limits().maxHeaderBytes();
      long idle = config.limits().idleTimeout().toMillis();
      ServerBootstrap b =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      if (tls != null) {
                        ch.pipeline().addLast(tls.current().newHandler(ch.alloc()));
                      }
                      ch.pipeline()
                          // observeOutput: a long sendfile to a slow client is progress, not
                          // idleness
                          .addLast(new IdleStateHandler(true, 0, 0, idle, TimeUnit.MILLISECONDS))
                          .addLast(
                              new HttpServerCodec(
                                  new HttpDecoderConfig()
                                      .setMaxInitialLineLength(header)
                                      .setMaxHeaderSize(header)
                                      .setMaxChunkSize(64 * 1024)))
                          .addLast(new ChunkedWriteHandler())
                          .addLast(new BlobHttpHandler(router, tls != null));
                    }
                  });
      var f = b.bind(new InetSocketAddress(config.bindAddress(), config.port())).await();
      if (!f.isSuccess()) {
        Throwable c = f.cause();
        if (c instanceof BindException || String.valueOf(c.getMessage()).contains("in use")) {
          throw new BlobStartException("blob.port: " + config.port() + " is in use", c);
        }
        throw new BlobStartException("blob.port: " + config.port() + ": " + c, c);
      }
      listener = f.channel();
      if (tls != null) {
        group.scheduleAtFixedRate(
            tls::reloadIfChanged,
            CertificateFiles.CHECK_SECONDS,
            CertificateFiles.CHECK_SECONDS,
            TimeUnit.SECONDS);
      }
      certificate = tls;
      running = true;
      log.info(
          "blob store listening: http{} port {}, {} blobs ({} bytes) stored, {} tus uploads open",
          tls != null ? "s" : "",
          port(),
          catalog.storedBlobs(),
          catalog.storedBytes(),
          tus.size());
    } catch (BlobStartException e) {
      close();
      throw e;
    } catch (IOException | RuntimeException e) {
      close();
      throw new BlobStartException("blob: could not start: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new BlobStartException("blob: interrupted while starting", e);
    }
  }

  private static BodyReceiver route(Exchange ex, BlobEndpoints blobs, TusEndpoints tus) {
    if (Cors.isPreflight(ex.request())) {
      var r = Exchange.response(HttpResponseStatus.NO_CONTENT);
      Cors.preflight(r.headers());
      ex.reply(r);
      return null;
    }
    String uri = ex.request().uri();
    String path = new QueryStringDecoder(uri).rawPath();
    if (path.equals(TusEndpoints.PREFIX) || path.startsWith(TusEndpoints.PREFIX + "/")) {
      return tus.route(ex, path);
    }
    if (path.equals(BlobEndpoints.PREFIX) || path.startsWith(BlobEndpoints.PREFIX + "/")) {
      return blobs.route(ex, path);
    }
    ex.reply(BlobEndpoints.notFound());
    return null;
  }

  private void registerGauges(BlobMetrics metrics) {
    metrics.gauge(
        "tafel_blob_stored_bytes", "Bytes of blobs stored on this node.", catalog::storedBytes);
    metrics.gauge("tafel_blob_stored_blobs", "Blobs stored on this node.", catalog::storedBlobs);
    metrics.gauge(
        "tafel_blob_tus_uploads", "tus uploads open (unfinished or recently finished).", tus::size);
    metrics.gauge(
        "tafel_blob_uploads_in_progress",
        "Request bodies being received now.",
        services.uploadSlots()::inUse);
  }

  /**
   * The configured certificate, read again when its files change (checked every {@value
   * CertificateFiles#CHECK_SECONDS} s), so a renewed certificate is served without a restart.
   */
  private CertificateFiles<SslContext> certificate() throws IOException {
    try {
      return new CertificateFiles<>(
          "blob",
          config.tlsCertificate(),
          config.tlsPrivateKey(),
          (cert, key) -> SslContextBuilder.forServer(cert.toFile(), key.toFile()).build());
    } catch (Exception e) {
      throw new IOException("blob: TLS certificate or key unusable: " + e.getMessage(), e);
    }
  }

  /** Loads the configured certificate again if its files changed; true when it did. */
  public boolean reloadCertificateIfChanged() {
    CertificateFiles<SslContext> c = certificate;
    return c != null && c.reloadIfChanged();
  }

  /** The bound port (after {@link #start}). */
  public int port() {
    return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public boolean isRunning() {
    return running && listener != null && listener.isActive();
  }

  /** One sweeper pass now (tests move their clock, then call this). */
  public Sweeper.Pass sweepNow() throws IOException {
    return sweeper.runOnce();
  }

  /** Bytes and count of the blobs held (for tests and gauges). */
  public long storedBytes() {
    return catalog.storedBytes();
  }

  public int storedBlobs() {
    return catalog.storedBlobs();
  }

  @Override
  public synchronized void close() {
    running = false;
    if (listener != null) {
      listener.close().awaitUninterruptibly();
      listener = null;
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      group = null;
    }
    if (sweeper != null) {
      sweeper.close();
    }
    if (ownsSweeperExecutor) {
      sweeperExecutor.shutdownNow();
    }
    if (io != null) {
      io.shutdown();
      try {
        io.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      io = null;
    }
  }
}
