package org.tafel.relay.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.UnixChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Native epoll where available (batched reads, SO_REUSEPORT), NIO elsewhere; with epoll, UDP on the
 * native path ({@link NativeUdp}) where its library loads. Decided once, at {@link #detect()}, so
 * every listener and relay socket of a server takes the same path.
 *
 * @param nativeUdpLoaded the native UDP library is loaded and not turned off
 */
public record Transports(boolean epoll, boolean nativeUdpLoaded) {

  public static Transports detect() {
    if (!Boolean.getBoolean("tafel.relay.nio") && Epoll.isAvailable()) {
      return new Transports(true, NativeUdp.available());
    }
    return new Transports(false, false);
  }

  /** Largest datagram a UDP listener receives whole when reading batches with recvmmsg. */
  public static final int LISTENER_MAX_DATAGRAM = 4096;

  private static final int LISTENER_BATCH = 16;

  /**
   * SO_RCVBUF asked for a client-facing UDP listener. A listener queues every client of its loop;
   * when the loop falls behind (a burst of requests, a refresh wave of thousands of allocations)
   * the kernel drops what does not fit. A 164-byte datagram takes 832 bytes of the buffer (measured
   * on loopback with {@code ss -m}), so 16 MiB (32 MiB as the kernel counts) hold some 40,000, the
   * 4 MiB asked before some 10,000. Past {@code net.core.rmem_max} only with CAP_NET_ADMIN
   * (SO_RCVBUFFORCE, on the native and the epoll path); the relay warns at startup when it got
   * less, and what overflows anyway is in {@code tafel_relay_udp_listener_kernel_drops}.
   */
  private static final int LISTENER_RECEIVE_BUFFER = 16 * 1024 * 1024;

  private static final int LISTENER_SEND_BUFFER = 4 * 1024 * 1024;

  private static final WriteBufferWaterMark LISTENER_WATER_MARK =
      new WriteBufferWaterMark(2 * 1024 * 1024, 4 * 1024 * 1024);
  private static final WriteBufferWaterMark RELAY_WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 512 * 1024);

  /**
   * The pooled allocator with per-thread caches: on event-loop threads a datagram's buffers are
   * taken and returned without allocating on the heap (Netty 4.2's default adaptive allocator
   * allocates about 120 bytes per buffer).
   */
  public static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  /**
   * Socket options for a client-facing UDP listener: pooled buffers, a write high-water mark that
   * holds one loop iteration's burst, and with epoll batched receive (recvmmsg, up to {@value
   * #LISTENER_BATCH} datagrams of at most {@value #LISTENER_MAX_DATAGRAM} bytes per call).
   */
  public void configureListener(Bootstrap b) {
    b.option(ChannelOption.ALLOCATOR, ALLOCATOR)
        .option(ChannelOption.SO_RCVBUF, LISTENER_RECEIVE_BUFFER)
        .option(ChannelOption.SO_SNDBUF, LISTENER_SEND_BUFFER);
    // A listener carries every client of its loop; writes are flushed once per loop iteration, so
    // one iteration's burst must fit below the high mark, or datagrams are dropped as backlog.
    b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, LISTENER_WATER_MARK);
    if (epoll) {
      // one listener per event loop on the same port; the kernel spreads clients by 5-tuple
      b.option(EpollChannelOption.SO_REUSEPORT, true);
      // recvmmsg: one call reads what has queued up, instead of one recvmsg per datagram.
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, LISTENER_MAX_DATAGRAM)
          .option(
              ChannelOption.RCVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(LISTENER_MAX_DATAGRAM * LISTENER_BATCH));
    }
  }

  /**
   * On epoll, sets a bound listener's receive buffer again with SO_RCVBUFFORCE ({@link
   * ReceiveBuffers#force}), as native listeners are; without CAP_NET_ADMIN the SO_RCVBUF set at
   * bind stays, capped at rmem_max, and the relay warns at startup.
   */
  public void forceListenerReceiveBuffer(Channel listener) {
    if (listener instanceof UnixChannel u) {
      ReceiveBuffers.force(u.fd().intValue(), LISTENER_RECEIVE_BUFFER);
    }
  }

  /** Socket options for an allocation's relay socket. */
  public void configureRelaySocket(Bootstrap b) {
    b.option(ChannelOption.ALLOCATOR, ALLOCATOR);
    b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, RELAY_WATER_MARK);
  }

  /**
   * A channel factory for UDP sockets of the bind address's family. With epoll and an IPv4 bind
   * address the sockets are plain AF_INET, not dual-stack AF_INET6 with mapped addresses: the
   * kernel's IPv4 path is shorter and no address is translated per datagram.
   */
  public ChannelFactory<DatagramChannel> datagramFactory(InetAddress bind) {
    if (epoll && bind instanceof Inet4Address) {
      return () -> new EpollDatagramChannel(SocketProtocolFamily.INET);
    }
    return epoll ? EpollDatagramChannel::new : NioDatagramChannel::new;
  }

  /** A channel factory for TCP listeners of the bind address's family (see above). */
  public ChannelFactory<ServerSocketChannel> serverFactory(InetAddress bind) {
    if (epoll && bind instanceof Inet4Address) {
      return () -> new EpollServerSocketChannel(SocketProtocolFamily.INET);
    }
    return epoll ? EpollServerSocketChannel::new : NioServerSocketChannel::new;
  }

  /**
   * True when UDP listeners and relay sockets take the native path ({@link NativeUdp}): epoll, an
   * IPv4 bind address and the library loaded (not turned off with {@code
   * -Dtafel.relay.native=false}). Both sides take it or neither, since a listener hands relay
   * sockets datagrams in place.
   */
  public boolean nativeUdp(InetAddress bind) {
    return nativeUdpLoaded && bind instanceof Inet4Address;
  }

  /** SO_RCVBUF asked for a client-facing UDP listener (the kernel reports twice what it grants). */
  public static int listenerReceiveBuffer() {
    return LISTENER_RECEIVE_BUFFER;
  }

  /** SO_SNDBUF asked for a client-facing UDP listener. */
  public static int listenerSendBuffer() {
    return LISTENER_SEND_BUFFER;
  }

  public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, factory);
  }
}
