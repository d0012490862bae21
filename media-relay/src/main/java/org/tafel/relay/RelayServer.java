package org.tafel.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.tls.CertificateFiles;
import org.tafel.relay.allocation.RelayPortPool;
import org.tafel.relay.auth.NonceService;
import org.tafel.relay.auth.RestCredentialStore;
import org.tafel.relay.auth.StaticCredentialStore;
import org.tafel.relay.dispatch.RelayContext;
import org.tafel.relay.dispatch.StunDispatcher;
import org.tafel.relay.policy.PeerPolicy;
import org.tafel.relay.quota.AllocationQuota;
import org.tafel.relay.transport.FlushBatch;
import org.tafel.relay.transport.NativeUdp;
import org.tafel.relay.transport.NativeUdpListener;
import org.tafel.relay.transport.ReceiveBuffers;
import org.tafel.relay.transport.StreamHandler;
import org.tafel.relay.transport.StreamLoops;
import org.tafel.relay.transport.Transports;
import org.tafel.relay.transport.UdpListenerHandler;

/**
 * A STUN/TURN server (RFC 8489, RFC 8656) built from one {@link RelayConfig}. Start it, read the
 * bound ports, close it.
 */
public final class RelayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  private static final int STREAM_IDLE_SECONDS = 30;

  private final RelayConfig config;
  private final MetricsRegistry registry;
  private final Clock clock;
  private final Transports transports = Transports.detect();
  private final List<Channel> listeners = new ArrayList<>();
  private final List<NativeUdpListener> nativeListeners = new ArrayList<>();
  private EventLoopGroup group;
  private StreamLoops streamLoops;
  private RelayContext context;
  private volatile boolean running;
  private static final int EPHEMERAL_BIND_ATTEMPTS = 8;
  private int turnPort = -1;
  private int turnsPort = -1;

  public RelayServer(RelayConfig config, MetricsRegistry metrics, Clock clock) {
    this.config = config;
    this.registry = metrics;
    this.clock = clock;
  }

  /**
   * Binds every listener. Throws {@link RelayStartException} naming the port when one is in use.
   */
  public synchronized void start() throws RelayStartException {
    if (running) {
      return;
    }
    try {
      FlushBatch.holdNanos(System.getProperty(FlushBatch.HOLD_PROPERTY));
    } catch (IllegalArgumentException e) {
      throw new RelayStartException(e.getMessage());
    }
    checkFree("relay.turn-port", config.turnPort());
    if (config.turnsPort() > 0) {
      checkFree("relay.turns-port", config.turnsPort());
    }
    int threads =
        config.eventLoopThreads() > 0
            ? config.eventLoopThreads()
            : Runtime.getRuntime().availableProcessors();
    group = transports.newGroup(threads, new DefaultThreadFactory("tafel-relay", true));
    streamLoops = new StreamLoops(group);
    try {
      RelayMetrics metrics = new RelayMetrics(registry);
      AllocationQuota quota =
          new AllocationQuota(
              config.limits().allocationsPerUser(), config.limits().allocationsTotal());
      metrics.gauges(quota::live);
      boolean tls = config.turnsPort() >= 0;
      if (tls) {
        tlsContext = tlsContext();
      }
      PeerPolicy policy =
          new PeerPolicy(
              config.allowedPeers(),
              PeerPolicy.ownAddresses(config.bindAddress(), config.externalAddress()),
              config.protectedPorts());
      context =
          new RelayContext(
              config,
              metrics,
              clock,
              new NonceService(nonceKey(), clock, config.limits().nonceLifetime()),
              new RestCredentialStore(config.turnSecrets(), clock),
              new StaticCredentialStore(config.staticUsers(), config.realm()),
              quota,
              new RelayPortPool(config.relayPortMin(), config.relayPortMax()),
              policy,
              transports);
      dispatcher = new StunDispatcher(context);
      registry.gauge(
          "tafel_relay_ports_in_use", "Relay ports taken from the pool.", context.ports()::inUse);
      registry.gauge(
          "tafel_relay_ports_capacity", "Relay ports in the pool.", context.ports()::capacity);
      if (transports.nativeUdp(config.bindAddress())) {
        registry.gauge(
            "tafel_relay_udp_segmented_runs",
            "Runs of datagrams for one destination sent as one segmented message (UDP_SEGMENT),"
                + " by this process.",
            NativeUdp::segmentedRuns);
        registry.gauge(
            "tafel_relay_udp_segmentation_fallbacks",
            "Segmented runs the kernel refused and that were sent again one datagram at a time.",
            NativeUdp::segmentationFallbacks);
      }
      for (int i = 0; i < streamLoops.size(); i++) {
        int loop = i;
        registry.gauge(
            "tafel_relay_stream_connections",
            "Open TCP and TLS client connections, by event loop (a connection goes to the loop"
                + " with the fewest).",
            () -> streamLoops.open(loop),
            "loop",
            Integer.toString(loop));
      }
      // The listeners' own ports are protected too; with port 0 they are known only now.
      turnPort = bindTurnPort(threads);
      int[] udpFds = udpListenerFds();
      if (udpFds.length > 0) {
        registry.gauge(
            "tafel_relay_udp_listener_kernel_drops",
            "Datagrams the kernel dropped at the UDP listeners' receive buffers, before the relay"
                + " read them (SO_MEMINFO), since start; the relay's own drops are in"
                + " tafel_relay_dropped_packets_total.",
            () -> kernelDrops(udpFds));
      }
      policy.protectPort(turnPort);
      if (tls) {
        turnsPort = bindTcp(config.turnsPort(), true);
        policy.protectPort(turnsPort);
      }
      running = true;
      int receiveBuffer = udpReceiveBuffer();
      LOG.info(
          "relay listening: STUN/TURN udp+tcp port {}, tls port {}, relay ports {}-{}, {} event"
              + " loops ({}), udp receive buffer {} KiB per listener",
          turnPort,
          turnsPort,
          config.relayPortMin(),
          config.relayPortMax(),
          threads,
          datapath(),
          receiveBuffer / 1024);
      if (transports.epoll() && receiveBuffer < 2 * Transports.listenerReceiveBuffer()) {
        LOG.warn(
            "relay: udp listener receive buffer is {} KiB where {} KiB was wanted (as the kernel"
                + " counts, twice the bytes asked): net.core.rmem_max capped it, and a burst the"
                + " loops cannot read at once is dropped. Set sysctl net.core.rmem_max={} (or run"
                + " the relay with CAP_NET_ADMIN outside a user namespace)",
            receiveBuffer / 1024,
            2 * Transports.listenerReceiveBuffer() / 1024,
            Transports.listenerReceiveBuffer());
      }
    } catch (RelayStartException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new RelayStartException("relay: could not start: " + e.getMessage(), e);
    }
  }

  private StunDispatcher dispatcher;

  /**
   * The smallest receive buffer among the UDP listeners, as the kernel reports SO_RCVBUF (twice the
   * bytes granted; {@link Transports#listenerReceiveBuffer()} is what was asked).
   */
  public synchronized int udpReceiveBuffer() {
    int smallest = Integer.MAX_VALUE;
    for (int fd : udpListenerFds()) {
      int size = ReceiveBuffers.size(fd);
      if (size > 0) {
        smallest = Math.min(smallest, size);
      }
    }
    for (Channel ch : listeners) {
      if (ch instanceof DatagramChannel d && !(ch instanceof UnixChannel)) {
        smallest = Math.min(smallest, d.config().getReceiveBufferSize()); // NIO
      }
    }
    return smallest;
  }

  /** The descriptors of the UDP listeners, native and epoll (NIO channels have none). */
  private int[] udpListenerFds() {
    List<Integer> fds = new ArrayList<>();
    for (NativeUdpListener l : nativeListeners) {
      fds.add(l.fd().intValue());
    }
    for (Channel ch : listeners) {
      if (ch instanceof DatagramChannel && ch instanceof UnixChannel u) {
        fds.add(u.fd().intValue());
      }
    }
    return fds.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Under the server's lock, so that no scrape reads a descriptor that {@link #close()} has closed
   * and the kernel may have given to another socket.
   */
  private synchronized long kernelDrops(int[] fds) {
    if (!running) {
      return 0;
    }
    long sum = 0;
    for (int fd : fds) {
      sum += Math.max(0, ReceiveBuffers.drops(fd));
    }
    return sum;
  }

  /** The configured certificate (reloaded when its files change), or a self-signed one. */
  private Supplier<SslContext> tlsContext;

  private CertificateFiles<SslContext> certificate;

  private StunDispatcher dispatcher() {
    return dispatcher;
  }

  private byte[] nonceKey() {
    if (!config.turnSecrets().isEmpty()) {
      return config.turnSecrets().get(0);
    }
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  private void checkFree(String key, int port) throws RelayStartException {
    if (port == 0) {
      return;
    }
    InetSocketAddress addr = new InetSocketAddress(config.bindAddress(), port);
    try (DatagramSocket u = new DatagramSocket(null);
        ServerSocket t = new ServerSocket()) {
      u.setReuseAddress(false);
      u.bind(addr);
      t.setReuseAddress(true);
      t.bind(addr);
    } catch (BindException e) {
      throw new RelayStartException(key + ": " + port + " is in use");
    } catch (IOException e) {
      throw new RelayStartException(key + ": " + port + " cannot be bound: " + e.getMessage(), e);
    }
  }

  /**
   * How UDP is read and written, and why not natively when it is not (the start-up log says it).
   */
  public String datapath() {
    if (transports.nativeUdp(config.bindAddress())) {
      return NativeUdp.segmentation()
          ? "epoll, native UDP, runs for one destination segmented (UDP_SEGMENT)"
          : "epoll, native UDP";
    }
    if (!transports.epoll()) {
      return "nio";
    }
    String why = NativeUdp.unavailableReason();
    return "epoll, Netty UDP: " + (why != null ? why : "IPv6 bind address");
  }

  private int bindUdp(int threads, int port) throws InterruptedException, RelayStartException {
    if (transports.nativeUdp(config.bindAddress())) {
      return bindNativeUdp(port);
    }
    int count = transports.epoll() ? threads : 1;
    int bound = port;
    for (int i = 0; i < count; i++) {
      Bootstrap b =
          new Bootstrap()
              .group(group)
              .channelFactory(transports.datagramFactory(config.bindAddress()))
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(new UdpListenerHandler(dispatcher()));
                    }
                  });
      transports.configureListener(b);
      Channel ch = bindOrFail(b.bind(new InetSocketAddress(config.bindAddress(), bound)), bound);
      transports.forceListenerReceiveBuffer(ch);
      listeners.add(ch);
      bound = ((InetSocketAddress) ch.localAddress()).getPort();
    }
    return bound;
  }

  /** One native listener per event loop, all on one port (SO_REUSEPORT). */
  private int bindNativeUdp(int port) throws RelayStartException {
    int bound = port;
    for (EventExecutor e : group) {
      try {
        NativeUdpListener l =
            NativeUdpListener.open(
                (IoEventLoop) e,
                new InetSocketAddress(config.bindAddress(), bound),
                Transports.listenerReceiveBuffer(),
                Transports.listenerSendBuffer(),
                dispatcher());
        nativeListeners.add(l);
        bound = l.port();
      } catch (BindException ex) {
        throw new RelayStartException("relay port " + bound + " is in use", ex);
      } catch (IOException ex) {
        throw new RelayStartException("relay port " + bound + ": " + ex.getMessage(), ex);
      }
    }
    return bound;
  }

  /**
   * Binds UDP and TCP on the configured TURN port. With port 0 the kernel picks a free UDP port,
   * whose number another process may hold on TCP; then the UDP listeners are closed and another
   * port is tried, a few times.
   */
  private int bindTurnPort(int threads) throws InterruptedException, RelayStartException {
    int attempts = config.turnPort() == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      int before = listeners.size();
      int nativeBefore = nativeListeners.size();
      int port = bindUdp(threads, config.turnPort());
      try {
        bindTcp(port, false);
        return port;
      } catch (RelayStartException e) {
        if (attempt >= attempts) {
          throw e;
        }
        while (listeners.size() > before) {
          listeners.remove(listeners.size() - 1).close().await();
        }
        while (nativeListeners.size() > nativeBefore) {
          nativeListeners.remove(nativeListeners.size() - 1).closeOnLoop();
        }
      }
    }
  }

  private int bindTcp(int port, boolean tls) throws InterruptedException, RelayStartException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group, streamLoops)
            .channelFactory(transports.serverFactory(config.bindAddress()))
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, Transports.ALLOCATOR)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    StunDispatcher d = dispatcher();
                    if (tls) {
                      ch.pipeline().addLast(tlsContext.get().newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new IdleStateHandler(STREAM_IDLE_SECONDS, 0, 0))
                        .addLast(new StreamHandler(d, d.lifecycle()));
                  }
                });
    Channel ch = bindOrFail(b.bind(new InetSocketAddress(config.bindAddress(), port)), port);
    listeners.add(ch);
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  private static Channel bindOrFail(io.netty.channel.ChannelFuture f, int port)
      throws InterruptedException, RelayStartException {
    f.await();
    if (!f.isSuccess()) {
      Throwable c = f.cause();
      if (c instanceof BindException
          || (c != null && String.valueOf(c.getMessage()).contains("in use"))) {
        throw new RelayStartException("relay port " + port + " is in use", c);
      }
      throw new RelayStartException("relay port " + port + ": " + c, c);
    }
    return f.channel();
  }

  /**
   * A configured certificate is read again when its files change (checked every {@value
   * CertificateFiles#CHECK_SECONDS} s), so a renewed certificate is used without a restart; without
   * one, a self-signed certificate for development.
   */
  private Supplier<SslContext> tlsContext() throws Exception {
    if (config.tlsCertificate() != null) {
      certificate =
          new CertificateFiles<>(
              "relay",
              config.tlsCertificate(),
              config.tlsPrivateKey(),
              (cert, key) -> SslContextBuilder.forServer(cert.toFile(), key.toFile()).build());
      group.scheduleAtFixedRate(
          certificate::reloadIfChanged,
          CertificateFiles.CHECK_SECONDS,
          CertificateFiles.CHECK_SECONDS,
          TimeUnit.SECONDS);
      return certificate::current;
    }
    SelfSignedCertificate ssc = new SelfSignedCertificate("localhost", "EC", 256);
    LOG.info("relay TLS: no certificate configured, using a self-signed one for development");
    SslContext context = SslContextBuilder.forServer(ssc.certificate(), ssc.privateKey()).build();
    return () -> context;
  }

  /** Loads the configured certificate again if its files changed; true when it did. */
  boolean reloadCertificateIfChanged() {
    return certificate != null && certificate.reloadIfChanged();
  }

  /** The bound STUN/TURN port (UDP and TCP share it). */
  public int turnPort() {
    return turnPort;
  }

  /** The bound TLS port, or -1 when TLS is off. */
  public int turnsPort() {
    return turnsPort;
  }

  /** The event loops (tests hold them to let datagrams queue up). */
  EventLoopGroup eventLoops() {
    return group;
  }

  /** True once every listener is bound and the server relays. */
  public boolean isRunning() {
    return running;
  }

  /** Live allocations on this node. */
  public int allocationCount() {
    return context == null ? 0 : context.quota().live();
  }

  /** Relay ports currently taken from the pool. */
  public int relayPortsInUse() {
    return context == null ? 0 : context.ports().inUse();
  }

  @Override
  public synchronized void close() {
    running = false;
    for (Channel ch : listeners) {
      ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    listeners.clear();
    for (NativeUdpListener l : nativeListeners) {
      l.closeOnLoop();
    }
    nativeListeners.clear();
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      group = null;
    }
  }
}
