package org.tafel.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.relay.forward.HeadroomRecvByteBufAllocator;

/**
 * Datagrams that queued up on a relay socket while its event loop was busy must all be read,
 * without waiting for another datagram to arrive, even when more are queued than one readiness
 * reads. This holds because Netty 4.2 polls level-triggered; a transport that reported readiness
 * only on new arrivals (edge-triggered) with a read limit would leave them in the socket.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class RelaySocketReadTest {
  /** More than one readiness reads (16), fewer than the default receive buffer holds. */
  private static final int QUEUED = 100;

  @Test
  void readsEveryDatagramThatQueuedWhileTheLoopWasBusy() throws Exception {
    Transports transports = Transports.detect();
    EventLoopGroup group =
        transports.newGroup(1, new DefaultThreadFactory("relay-read-test", true));
    AtomicInteger read = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(QUEUED);
    try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      Bootstrap b =
          new Bootstrap()
              .group(group)
              .channelFactory(transports.datagramFactory(loopback))
              .option(ChannelOption.RCVBUF_ALLOCATOR, new HeadroomRecvByteBufAllocator())
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ((DatagramPacket) msg).release();
                      read.incrementAndGet();
                      all.countDown();
                    }
                  });
      transports.configureRelaySocket(b);
      Channel ch = b.bind(new InetSocketAddress(loopback, 0)).sync().channel();
      try {
        // Hold the loop, queue the datagrams, then let go: they all become readable at once.
        InetSocketAddress to = (InetSocketAddress) ch.localAddress();
        byte[] payload = new byte[160];
        try (LoopHold hold = LoopHold.hold(ch.eventLoop())) {
          for (int i = 0; i < QUEUED; i++) {
            sender.send(new java.net.DatagramPacket(payload, payload.length, to));
          }
        }
        assertTrue(
            all.await(5, TimeUnit.SECONDS),
            "read " + read.get() + " of " + QUEUED + " queued datagrams");
        assertEquals(QUEUED, read.get());
      } finally {
        ch.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
