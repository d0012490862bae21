package org.tafel.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import org.tafel.protocol.stun.TurnFraming;

/**
 * The load generator's sockets: a few event loops (epoll where available), one connected UDP
 * channel or one TCP connection per allocation. UDP sockets bind to ports from an explicit range
 * when one is given, so that they stay out of the relay's port range (the kernel's ephemeral range
 * usually overlaps it).
 */
final class Sockets implements AutoCloseable {
  final EventLoopGroup group;
  final EventLoop[] loops;
  private final boolean epoll;
  private final InetSocketAddress server;
  private final int clientPortMin;
  private final int clientPortMax;
  private int nextPort;

  Sockets(int threads, InetSocketAddress server, int clientPortMin, int clientPortMax) {
    this.epoll = Epoll.isAvailable() && !Boolean.getBoolean("tafel.load.nio");
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("turn-load", true), factory);
    this.loops = new EventLoop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = (EventLoop) group.next();
    }
    this.server = server;
    this.clientPortMin = clientPortMin;
    this.clientPortMax = clientPortMax;
    this.nextPort = clientPortMin;
  }

  /** Opens and attaches the allocation's socket; blocks until bound/connected. */
  void open(TurnAllocation a, EventLoop loop) throws InterruptedException {
    Channel ch = a.tcp ? openTcp(a, loop) : openUdp(a, loop);
    a.attach(ch);
  }

  private Channel openUdp(TurnAllocation a, EventLoop loop) throws InterruptedException {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, 64 * 1024)
            .handler(a);
    if (clientPortMin <= 0) {
      ChannelFuture f = b.connect(server, new InetSocketAddress(server.getAddress(), 0)).sync();
      return f.channel();
    }
    int span = clientPortMax - clientPortMin + 1;
    for (int tried = 0; tried < span; tried++) {
      int port = nextPort;
      nextPort = nextPort >= clientPortMax ? clientPortMin : nextPort + 1;
      ChannelFuture f = b.connect(server, new InetSocketAddress(server.getAddress(), port)).await();
      if (f.isSuccess()) {
        return f.channel();
      }
    }
    throw new IllegalStateException(
        "no free client port in " + clientPortMin + "-" + clientPortMax);
  }

  private Channel openTcp(TurnAllocation a, EventLoop loop) throws InterruptedException {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new StreamFrames(), a);
                  }
                });
    return b.connect(server).sync().channel();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** Splits a TCP byte stream into STUN messages and (padded) ChannelData frames. */
  static final class StreamFrames extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      while (in.readableBytes() >= 4) {
        int n = TurnFraming.frameLength(in, in.readerIndex(), true);
        if (n < 0) {
          in.skipBytes(in.readableBytes());
          ctx.close();
          return;
        }
        if (in.readableBytes() < n) {
          return;
        }
        out.add(in.readRetainedSlice(n));
      }
    }
  }
}
