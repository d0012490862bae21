package org.tafel.relay.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.PlatformDependent;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JNI batch I/O on real loopback sockets: sizes, contents and source addresses survive a
 * sendmmsg/recvmmsg round trip, errors come back as -errno, and it interoperates with plain Java
 * sockets. The build ships the library, so it must load here: a missing library fails, not skips.
 */
class NativeUdpTest {
  private static final int LOOPBACK = 0x7F000001;
  private static final int EBADF = 9;
  private static final int EADDRINUSE = 98;
  private static final int EINVAL = 22;
  private static final int STRIDE = 2048;

  private final List<Integer> fds = new ArrayList<>();
  private ByteBuffer data;
  private ByteBuffer meta;
  private ByteBuffer desc;

  @BeforeEach
  void setUp() {
    assertTrue(NativeUdp.available(), () -> "not available: " + NativeUdp.unavailableReason());
    data = ByteBuffer.allocateDirect(1 << 17).order(ByteOrder.nativeOrder());
    meta = ByteBuffer.allocateDirect(NativeUdp.MAX_BATCH * NativeUdp.META_BYTES);
    meta.order(ByteOrder.nativeOrder());
    desc = ByteBuffer.allocateDirect(NativeUdp.MAX_BATCH * NativeUdp.DESC_BYTES);
    desc.order(ByteOrder.nativeOrder());
  }

  @AfterEach
  void closeSockets() {
    for (int fd : fds) {
      NativeUdp.close0(fd);
    }
  }

  @Test
  void availableWithoutReason() {
    assertTrue(NativeUdp.available());
    assertNull(NativeUdp.unavailableReason());
  }

  @Test
  void oneSendDeliversThreeDatagramsToOneRecv() throws Exception {
    int a = open(0, false);
    int b = open(0, false);
    int portA = NativeUdp.localPort(a);
    int portB = NativeUdp.localPort(b);
    assertTrue(portA > 0 && portB > 0, portA + " " + portB);

    byte[][] payloads = {payload(1, 'x'), payload(100, 'y'), payload(1200, 'z')};
    int sendBase = 65536;
    for (int i = 0; i < payloads.length; i++) {
      stage(i, sendBase + i * STRIDE, payloads[i], portB);
    }
    assertEquals(3, NativeUdp.send(a, address(desc), 3));

    int got = recvAtLeast(b, 3, STRIDE);
    assertEquals(3, got);
    for (int i = 0; i < 3; i++) {
      assertEquals(payloads[i].length, metaInt(i, 0), "length " + i);
      assertEquals(LOOPBACK, metaInt(i, 1), "source ip " + i);
      assertEquals(portA, metaInt(i, 2), "source port " + i);
      assertEquals(0, metaInt(i, 3), "flags " + i);
      assertArrayEquals(payloads[i], bytes(i * STRIDE, payloads[i].length), "contents " + i);
    }
    assertNothingQueued(b);
  }

  /**
   * Linux reports the stored length (cap) for a datagram longer than cap, not its size on the wire,
   * because recvmmsg is called without MSG_TRUNC in its flags; msg_flags has MSG_TRUNC.
   */
  @Test
  void longerThanCapIsTruncatedToCapAndFlagged() throws Exception {
    int a = open(0, false);
    int b = open(0, false);
    int portB = NativeUdp.localPort(b);
    byte[] big = payload(300, 'b');
    byte[] small = payload(10, 's');
    stage(0, 65536, big, portB);
    stage(1, 65536 + STRIDE, small, portB);
    assertEquals(2, NativeUdp.send(a, address(desc), 2));

    int cap = 64;
    assertEquals(2, recvAtLeast(b, 2, cap, cap));
    assertEquals(cap, metaInt(0, 0));
    assertEquals(NativeUdp.FLAG_TRUNCATED, metaInt(0, 3) & NativeUdp.FLAG_TRUNCATED);
    assertArrayEquals(Arrays.copyOf(big, cap), bytes(0, cap));
    // The next datagram starts one stride (here: cap) further and is whole.
    assertEquals(small.length, metaInt(1, 0));
    assertEquals(0, metaInt(1, 3));
    assertArrayEquals(small, bytes(cap, small.length));
  }

  @Test
  void refusedDatagramsAreSkippedAndTheRestSent() throws Exception {
    int a = open(0, false);
    int b = open(0, false);
    int portB = NativeUdp.localPort(b);
    byte[] first = payload(20, '1');
    byte[] last = payload(30, '4');
    stage(0, 0, first, portB);
    describe(1, address(data), 70_000, LOOPBACK, portB); // EMSGSIZE
    describe(2, address(data), 10, LOOPBACK, 0); // port 0: EINVAL
    stage(3, STRIDE, last, portB);
    assertEquals(2, NativeUdp.send(a, address(desc), 4));

    assertEquals(2, recvAtLeast(b, 2, STRIDE));
    assertArrayEquals(first, bytes(0, first.length));
    assertArrayEquals(last, bytes(STRIDE, last.length));
  }

  /**
   * Runs for one destination go to the kernel as one segmented message (this kernel has
   * UDP_SEGMENT): the receivers get exactly the datagrams that were described, each whole, in
   * order. A run ends at another destination, at a shorter datagram (which it still takes), before
   * a longer one, and never takes a datagram longer than 1472 bytes or an empty one.
   */
  @Test
  void runsForOneDestinationArriveAsTheSameDatagrams() throws Exception {
    assertTrue(NativeUdp.segmentation(), "this kernel takes UDP_SEGMENT (Linux 4.18+)");
    int a = open(0, false);
    int b = open(0, false);
    int c = open(0, false);
    int portB = NativeUdp.localPort(b);
    int portC = NativeUdp.localPort(c);
    // to B: 5 x 160 and a shorter 100 (run 1), 160 160 (run 2: a shorter datagram ends a run);
    // to C: 3 x 160 (run 3); to B: 160 160 (run 4), 200 (longer: alone), 1500 1500 (too long for
    // a run), 0 0 (empty: alone each).
    int[] lengths = {
      160, 160, 160, 160, 160, 100, 160, 160, 160, 160, 160, 160, 160, 200, 1500, 1500, 0, 0
    };
    int[] ports = new int[lengths.length];
    Arrays.fill(ports, portB);
    Arrays.fill(ports, 8, 11, portC);
    byte[][] payloads = new byte[lengths.length][];
    for (int i = 0; i < lengths.length; i++) {
      payloads[i] = payload(lengths[i], (char) ('a' + i));
      stage(i, 65536 + i * STRIDE, payloads[i], ports[i]);
    }
    long[] before = segmentationCounts();
    assertEquals(lengths.length, NativeUdp.send(a, address(desc), lengths.length));
    long[] after = segmentationCounts();
    assertEquals(4, after[0] - before[0], "runs sent as one message");
    assertEquals(0, after[1] - before[1], "runs sent again one by one");

    int toB = lengths.length - 3;
    assertEquals(toB, recvAtLeast(b, toB, STRIDE));
    int k = 0;
    for (int i = 0; i < lengths.length; i++) {
      if (ports[i] == portB) {
        assertEquals(lengths[i], metaInt(k, 0), "length of datagram " + i);
        assertEquals(0, metaInt(k, 3), "flags of datagram " + i);
        assertArrayEquals(payloads[i], bytes(k * STRIDE, lengths[i]), "datagram " + i);
        k++;
      }
    }
    assertNothingQueued(b);
    assertEquals(3, recvAtLeast(c, 3, STRIDE));
    for (int i = 0; i < 3; i++) {
      assertEquals(160, metaInt(i, 0));
      assertArrayEquals(payloads[8 + i], bytes(i * STRIDE, 160), "datagram to C " + i);
    }
    assertNothingQueued(c);
  }

  /**
   * A run stops at 64 datagrams minus what the headers take (kernels before 5.16 count them against
   * 64 segments) and at 65,507 bytes (one IPv4 datagram): 64 x 1000 bytes go out as a run of 63 and
   * one alone, 64 x 20 as runs of 62 and 2 (without the header rule: one run of 64), 45 x 1472 as a
   * run of 44 and one alone; every datagram arrives whole.
   */
  @Test
  void aRunStopsAtTheSegmentAndByteLimits() throws Exception {
    int a = open(0, false);
    int b = open(0, false);
    int portB = NativeUdp.localPort(b);
    int[][] cases = {{64, 1000, 1}, {64, 20, 2}, {45, 1472, 1}};
    for (int[] c : cases) {
      int count = c[0];
      int length = c[1];
      int runs = c[2];
      for (int i = 0; i < count; i++) {
        stage(i, i * STRIDE, payload(length, (char) ('A' + i)), portB);
      }
      long[] before = segmentationCounts();
      assertEquals(count, NativeUdp.send(a, address(desc), count));
      assertEquals(runs, segmentationCounts()[0] - before[0], count + " x " + length + ": runs");
      assertEquals(0, segmentationCounts()[1] - before[1], count + " x " + length + ": refused");
      for (int got = 0; got < count; ) {
        int n = recvAtLeast(b, 1, STRIDE);
        assertTrue(n > 0, count + " x " + length + ": only " + got + " arrived");
        for (int i = 0; i < n; i++, got++) {
          assertEquals(length, metaInt(i, 0));
          assertArrayEquals(payload(length, (char) ('A' + got)), bytes(i * STRIDE, length));
        }
      }
      assertNothingQueued(b);
    }
  }

  /**
   * A run the kernel refuses (here: to port 0, EINVAL) is tried again one datagram at a time, so
   * each is dropped on its own; the datagrams after it in that call still go out, one by one, and
   * the next call segments again (EINVAL does not turn segmentation off).
   */
  @Test
  void aRefusedRunIsTriedOneByOneAndTheRestSent() throws Exception {
    int a = open(0, false);
    int b = open(0, false);
    int portB = NativeUdp.localPort(b);
    for (int i = 0; i < 6; i++) {
      stage(i, 65536 + i * STRIDE, payload(120, (char) ('p' + i)), i < 3 ? 0 : portB);
    }
    long[] before = segmentationCounts();
    assertEquals(3, NativeUdp.send(a, address(desc), 6));
    long[] after = segmentationCounts();
    assertEquals(1, after[1] - before[1], "runs sent again one by one");
    assertEquals(0, after[0] - before[0], "runs sent as one message");
    assertEquals(3, recvAtLeast(b, 3, STRIDE));
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(payload(120, (char) ('p' + 3 + i)), bytes(i * STRIDE, 120));
    }
    assertNothingQueued(b);

    assertTrue(NativeUdp.segmentation(), "EINVAL does not turn segmentation off");
    for (int i = 0; i < 3; i++) {
      describe(i, address(data) + 65536 + (3 + i) * STRIDE, 120, LOOPBACK, portB);
    }
    assertEquals(3, NativeUdp.send(a, address(desc), 3));
    assertEquals(1, segmentationCounts()[0] - after[0], "the next call's run");
    assertEquals(3, recvAtLeast(b, 3, STRIDE));
  }

  /** With segmentation off every datagram is a message of its own, and arrives the same. */
  @Test
  void withSegmentationOffTheSameDatagramsArrive() throws Exception {
    assertTrue(NativeUdp.segmentation(true));
    try {
      assertFalse(NativeUdp.segmentation(false));
      int a = open(0, false);
      int b = open(0, false);
      int portB = NativeUdp.localPort(b);
      for (int i = 0; i < 8; i++) {
        stage(i, 65536 + i * STRIDE, payload(300, (char) ('s' + i)), portB);
      }
      long[] before = segmentationCounts();
      assertEquals(8, NativeUdp.send(a, address(desc), 8));
      assertEquals(before[0], segmentationCounts()[0], "no run sent as one message");
      assertEquals(8, recvAtLeast(b, 8, STRIDE));
      for (int i = 0; i < 8; i++) {
        assertEquals(300, metaInt(i, 0));
        assertArrayEquals(payload(300, (char) ('s' + i)), bytes(i * STRIDE, 300));
      }
    } finally {
      NativeUdp.segmentation(true);
    }
  }

  @Test
  void boundPortWithoutReuseIsInUse() {
    int a = open(0, false);
    int port = NativeUdp.localPort(a);
    int fd = NativeUdp.open4(LOOPBACK, port, 0, 0, false);
    assertEquals(-EADDRINUSE, fd);
    assertEquals("EADDRINUSE", NativeUdp.error(fd));

    int r1 = open(0, true);
    int shared = NativeUdp.localPort(r1);
    int r2 = open(shared, true);
    assertEquals(shared, NativeUdp.localPort(r2));
  }

  /**
   * A receive buffer that holds a few datagrams: the rest of a burst is dropped by the kernel, and
   * {@link ReceiveBuffers#drops} counts exactly those, as /proc/net/udp does, while what fit is
   * still read; a closed descriptor reads as -1.
   */
  @Test
  void receiveDropsCountWhatTheKernelDroppedAtTheReceiveBuffer() throws Exception {
    int fd = NativeUdp.open4(LOOPBACK, 0, 4096, 0, false);
    assertTrue(fd >= 0, () -> "open4: " + NativeUdp.error(fd));
    fds.add(fd);
    int port = NativeUdp.localPort(fd);
    assertEquals(0, ReceiveBuffers.drops(fd));
    int sent = 200;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < sent; i++) {
        s.send(new DatagramPacket(new byte[500], 500, InetAddress.getLoopbackAddress(), port));
      }
    }
    // Loopback delivers in the sender's softirq, normally before send returns; not promised.
    int read = 0;
    long drops = ReceiveBuffers.drops(fd);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (read + drops < sent && System.nanoTime() < deadline) {
      int n = NativeUdp.recv(fd, address(data), STRIDE, STRIDE, 16, address(meta));
      assertTrue(n >= 0, () -> "recv: " + NativeUdp.error(n));
      read += n;
      drops = ReceiveBuffers.drops(fd);
      if (n == 0) {
        Thread.sleep(1);
      }
    }
    assertEquals(sent, read + drops, "every datagram was either read or counted as dropped");
    long dropped = drops;
    assertTrue(dropped > 0 && read > 0, () -> "dropped " + dropped);
    assertEquals(KernelBuffers.udpDrops(port), drops);
    assertEquals(0, NativeUdp.close0(fd));
    fds.remove(Integer.valueOf(fd));
    assertEquals(-1, ReceiveBuffers.drops(fd));
  }

  @Test
  void badArgumentsAndClosedSocketsAreErrnos() {
    assertEquals(-EINVAL, NativeUdp.open4(LOOPBACK, 65536, 0, 0, false));
    int fd = NativeUdp.open4(LOOPBACK, 0, 1 << 20, 1 << 20, false);
    assertTrue(fd >= 0, NativeUdp.error(fd));
    assertEquals(0, NativeUdp.close0(fd));
    describe(0, address(data), 10, LOOPBACK, 9);
    assertEquals(-EBADF, NativeUdp.send(fd, address(desc), 1));
    assertEquals(-EBADF, NativeUdp.recv(fd, address(data), STRIDE, STRIDE, 4, address(meta)));
    assertEquals(-EBADF, NativeUdp.localPort(fd));
    assertEquals(-EBADF, NativeUdp.close0(fd));
    assertEquals("EBADF", NativeUdp.error(-EBADF));
    assertEquals(-EBADF, NativeUdp.send(-1, address(desc), 1));
    assertEquals("errno 1234", NativeUdp.error(-1234));
  }

  @Test
  void interoperatesWithJavaSockets() throws Exception {
    int fd = open(0, false);
    int port = NativeUdp.localPort(fd);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (DatagramSocket java = new DatagramSocket(0, loopback)) {
      java.setSoTimeout(5000);

      byte[] toNative = payload(77, 'j');
      java.send(new DatagramPacket(toNative, toNative.length, loopback, port));
      assertEquals(1, recvAtLeast(fd, 1, STRIDE));
      assertEquals(toNative.length, metaInt(0, 0));
      assertEquals(LOOPBACK, metaInt(0, 1));
      assertEquals(java.getLocalPort(), metaInt(0, 2));
      assertArrayEquals(toNative, bytes(0, toNative.length));
      assertEquals(
          new InetSocketAddress(loopback, java.getLocalPort()),
          NativeUdp.address(metaInt(0, 1), metaInt(0, 2)));

      byte[] toJava = payload(555, 'n');
      stage(0, 65536, toJava, java.getLocalPort());
      assertEquals(1, NativeUdp.send(fd, address(desc), 1));
      DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
      java.receive(in);
      assertEquals(new InetSocketAddress(loopback, port), in.getSocketAddress());
      assertArrayEquals(toJava, Arrays.copyOf(in.getData(), in.getLength()));
    }
  }

  @Test
  void addressHelpers() throws Exception {
    Inet4Address lo = (Inet4Address) InetAddress.getByName("127.0.0.1");
    assertEquals(LOOPBACK, NativeUdp.ipv4(lo));
    Inet4Address high = (Inet4Address) InetAddress.getByName("203.0.113.250");
    assertEquals(0xCB0071FA, NativeUdp.ipv4(high));
    assertEquals(new InetSocketAddress(high, 3478), NativeUdp.address(0xCB0071FA, 3478));
  }

  /** Nothing is left on {@code fd}: EAGAIN is 0, not an error. */
  private void assertNothingQueued(int fd) {
    assertEquals(0, NativeUdp.recv(fd, address(data), STRIDE, STRIDE, 8, address(meta)));
  }

  private static long[] segmentationCounts() {
    return new long[] {NativeUdp.segmentedRuns(), NativeUdp.segmentationFallbacks()};
  }

  private int open(int port, boolean reusePort) {
    int fd = NativeUdp.open4(LOOPBACK, port, 0, 0, reusePort);
    assertTrue(fd >= 0, () -> "open4: " + NativeUdp.error(fd));
    fds.add(fd);
    return fd;
  }

  private int recvAtLeast(int fd, int expected, int stride) throws InterruptedException {
    return recvAtLeast(fd, expected, stride, stride);
  }

  /**
   * Receives until {@code expected} datagrams arrived, datagram i at {@code i * stride} with meta
   * i. Loopback delivery is normally done when send returns, but it is not promised.
   */
  private int recvAtLeast(int fd, int expected, int stride, int cap) throws InterruptedException {
    int got = 0;
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (got < expected && System.nanoTime() < deadline) {
      int n =
          NativeUdp.recv(
              fd,
              address(data) + (long) got * stride,
              stride,
              cap,
              NativeUdp.MAX_BATCH - got,
              address(meta) + (long) got * NativeUdp.META_BYTES);
      assertTrue(n >= 0, () -> "recv: " + NativeUdp.error(n));
      got += n;
      if (n == 0) {
        Thread.sleep(1);
      }
    }
    return got;
  }

  /** Puts {@code payload} at {@code at} in {@link #data} and describes it as datagram {@code i}. */
  private void stage(int i, int at, byte[] payload, int port) {
    data.put(at, payload);
    describe(i, address(data) + at, payload.length, LOOPBACK, port);
  }

  private void describe(int i, long address, int length, int ip, int port) {
    int at = i * NativeUdp.DESC_BYTES;
    desc.putLong(at, address);
    desc.putInt(at + 8, length);
    desc.putInt(at + 12, ip);
    desc.putInt(at + 16, port);
    desc.putInt(at + 20, 0);
  }

  private int metaInt(int datagram, int field) {
    return meta.getInt(datagram * NativeUdp.META_BYTES + field * 4);
  }

  private byte[] bytes(int at, int length) {
    byte[] out = new byte[length];
    data.get(at, out);
    return out;
  }

  private static long address(ByteBuffer direct) {
    return PlatformDependent.directBufferAddress(direct);
  }

  private static byte[] payload(int length, char seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed + i * 31);
    }
    return b;
  }
}
