package org.tafel.relay.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
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

  public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, factory);
  }
}
