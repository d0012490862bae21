package org.tafel.relay.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/** Native epoll where available (batched reads, SO_REUSEPORT), NIO elsewhere. */
public record Transports(
    boolean epoll,
    Class<? extends DatagramChannel> datagramChannel,
    Class<? extends ServerSocketChannel> serverChannel) {

  public static Transports detect() {
    if (!Boolean.getBoolean("tafel.relay.nio") && Epoll.isAvailable()) {
      return new Transports(true, EpollDatagramChannel.class, EpollServerSocketChannel.class);
    }
    return new Transports(false, NioDatagramChannel.class, NioServerSocketChannel.class);
  }

  /** Largest datagram a UDP listener receives whole when reading batches with recvmmsg. */
  public static final int LISTENER_MAX_DATAGRAM = 4096;

  private static final int LISTENER_BATCH = 16;

  /**
   * The pooled allocator with per-thread caches: on event-loop threads a datagram's buffers are
   * taken and returned without allocating on the heap (Netty 4.2's default adaptive allocator
   * allocates about 120 bytes per buffer).
   */
  public static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

  /**
   * Socket options for a client-facing UDP listener: with epoll, batched receive (recvmmsg, up to
   * {@value #LISTENER_BATCH} datagrams per call) and level-triggered readiness.
   */
  public void configureListener(Bootstrap b) {
    b.option(ChannelOption.ALLOCATOR, ALLOCATOR);
    if (epoll) {
      if (Boolean.parseBoolean(System.getProperty("tafel.relay.recvmmsg", "true"))) {
        b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, LISTENER_MAX_DATAGRAM)
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(LISTENER_MAX_DATAGRAM * LISTENER_BATCH)
                    .maxMessagesPerRead(Integer.getInteger("tafel.relay.listenerReads", 16)));
      } else {
        b.option(
            ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(2048)
                .maxMessagesPerRead(Integer.getInteger("tafel.relay.listenerReads", 16)));
      }
      configureEpoll(b);
    }
  }

  /** Socket options for an allocation's relay socket. */
  public void configureRelaySocket(Bootstrap b) {
    b.option(ChannelOption.ALLOCATOR, ALLOCATOR);
    if (epoll) {
      configureEpoll(b);
    }
  }

  private static void configureEpoll(Bootstrap b) {
    if (Boolean.parseBoolean(System.getProperty("tafel.relay.lt", "true"))) {
      b.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
    }
  }

  public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, factory);
  }
}
