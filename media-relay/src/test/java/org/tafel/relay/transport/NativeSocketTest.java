package org.tafel.relay.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;

/**
 * The native path's reading and arena on real sockets: datagrams that queued up while the loop was
 * busy are all read (level-triggered, more than one readiness's worth), and when one loop iteration
 * reads more than the arena holds it is flushed early without overwriting a datagram that is still
 * queued or still being handled. Each socket echoes what it reads, from where it lies in the arena,
 * to its own receiver, which checks every byte.
 */
class NativeSocketTest {
  private static final int LOOPBACK = 0x7F000001;

  /**
   * 12 sockets × 100 datagrams: more than one readiness reads per socket (64), and 1,200 slots
   * where the arena holds 504.
   */
  private static final int SOCKETS = 12;

  private static final int PER_SOCKET = 100;
  private static final int SIZE = 200;

  /** Echoes every datagram to one port, in place. */
  private static final class Echo extends NativeSocket {
    private final int toPort;

    Echo(IoEventLoop loop, int fd, RelayMetrics metrics, int toPort) {
      super(loop, fd, metrics, DropReason.WRITE_BACKLOG);
      this.toPort = toPort;
    }

    @Override
    void onDatagram(NativeArena arena, int i) {
      enqueue(arena.base + arena.offset(i), arena.length(i), LOOPBACK, toPort);
    }

    @Override
    void onInternalError(RuntimeException e) {
      throw e;
    }
  }

  private EventLoopGroup group;
  private IoEventLoop loop;
  private RelayMetrics metrics;
  private final List<Echo> sockets = new ArrayList<>();
  private final List<DatagramSocket> receivers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    assertTrue(NativeUdp.available(), () -> "not available: " + NativeUdp.unavailableReason());
    group = Transports.detect().newGroup(1, new DefaultThreadFactory("native-socket-test", true));
    loop = (IoEventLoop) group.next();
    metrics = new RelayMetrics(new MetricsRegistry());
  }

  @AfterEach
  void tearDown() throws Exception {
    loop.submit(() -> sockets.forEach(Echo::close)).sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    receivers.forEach(DatagramSocket::close);
  }

  @Test
  void everyQueuedDatagramIsReadAndEchoedIntactWhenTheArenaOverflows() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int s = 0; s < SOCKETS; s++) {
      DatagramSocket r = new DatagramSocket(0, loopback);
      r.setSoTimeout(5000);
      receivers.add(r);
      int fd = NativeUdp.open4(LOOPBACK, 0, 0, 0, false);
      assertTrue(fd >= 0, () -> NativeUdp.error(fd));
      Echo e = new Echo(loop, fd, metrics, r.getLocalPort());
      e.register().sync();
      sockets.add(e);
    }
    // Hold the loop, fill every socket, then let go: all become readable in one iteration.
    try (LoopHold hold = LoopHold.hold(loop);
        DatagramSocket sender = new DatagramSocket(0, loopback)) {
      for (int s = 0; s < SOCKETS; s++) {
        int port = NativeUdp.localPort(sockets.get(s).fd().intValue());
        for (int n = 0; n < PER_SOCKET; n++) {
          byte[] b = payload(s, n);
          sender.send(new DatagramPacket(b, b.length, loopback, port));
        }
      }
    }
    for (int s = 0; s < SOCKETS; s++) {
      DatagramSocket r = receivers.get(s);
      for (int n = 0; n < PER_SOCKET; n++) {
        DatagramPacket p = new DatagramPacket(new byte[SIZE + 1], SIZE + 1);
        try {
          r.receive(p);
        } catch (SocketTimeoutException e) {
          throw new AssertionError("socket " + s + ": only " + n + " of " + PER_SOCKET, e);
        }
        assertEquals(SIZE, p.getLength());
        assertArrayEquals(
            payload(s, n),
            Arrays.copyOf(p.getData(), p.getLength()),
            "socket " + s + " datagram " + n);
      }
    }
    assertEquals(0, metrics.drops(DropReason.WRITE_BACKLOG));
  }

  /**
   * A datagram queued early in a long loop iteration is sent once it has waited past {@link
   * FlushBatch#HOLD_NANOS}, before the loop reads on, not only when the iteration ends: socket A
   * gets one datagram and socket S, readable in the same iteration after A, 64 that take 300 µs
   * each to handle. When S handles its last, A's echo must already lie in its receiver's buffer
   * (loopback delivers within the sending call).
   */
  @Test
  void aQueuedDatagramIsNotHeldWhileTheLoopReadsOnForLong() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramChannel echoes = DatagramChannel.open();
        DatagramSocket sender = new DatagramSocket(0, loopback)) {
      echoes.bind(new InetSocketAddress(loopback, 0)).configureBlocking(false);
      int fdA = NativeUdp.open4(LOOPBACK, 0, 0, 0, false);
      assertTrue(fdA >= 0, () -> NativeUdp.error(fdA));
      Echo a =
          new Echo(loop, fdA, metrics, ((InetSocketAddress) echoes.getLocalAddress()).getPort());
      a.register().sync();
      sockets.add(a);
      int slowReads = 64;
      CountDownLatch handled = new CountDownLatch(slowReads);
      AtomicBoolean echoedBeforeTheLast = new AtomicBoolean();
      int fdS = NativeUdp.open4(LOOPBACK, 0, 0, 0, false);
      assertTrue(fdS >= 0, () -> NativeUdp.error(fdS));
      NativeSocket slow =
          new NativeSocket(loop, fdS, metrics, DropReason.WRITE_BACKLOG) {
            @Override
            void onDatagram(NativeArena arena, int i) {
              long until = System.nanoTime() + 300_000;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
              if (handled.getCount() == 1) {
                try {
                  echoedBeforeTheLast.set(echoes.receive(ByteBuffer.allocate(SIZE)) != null);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
              handled.countDown();
            }

            @Override
            void onInternalError(RuntimeException e) {
              throw e;
            }
          };
      slow.register().sync();
      try (LoopHold hold = LoopHold.hold(loop)) {
        byte[] b = payload(0, 0);
        sender.send(new DatagramPacket(b, b.length, loopback, NativeUdp.localPort(fdA)));
        for (int n = 0; n < slowReads; n++) {
          sender.send(new DatagramPacket(b, b.length, loopback, NativeUdp.localPort(fdS)));
        }
      }
      try {
        assertTrue(handled.await(10, TimeUnit.SECONDS), "the slow socket did not read everything");
        assertTrue(
            echoedBeforeTheLast.get(),
            "A's datagram was still queued after 63 x 300 us of reading on the same iteration");
      } finally {
        loop.submit(slow::close).sync();
      }
    }
  }

  /** Distinct bytes per socket and sequence number, so an overwritten slot is seen. */
  private static byte[] payload(int socket, int n) {
    byte[] b = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      b[i] = (byte) (socket * 31 + n * 7 + i);
    }
    b[0] = (byte) socket;
    b[1] = (byte) n;
    return b;
  }
}
