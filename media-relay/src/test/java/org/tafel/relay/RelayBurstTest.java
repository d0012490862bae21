package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.relay.transport.KernelBuffers;
import org.tafel.relay.transport.LoopHold;
import org.tafel.relay.transport.Transports;

/**
 * Datagrams that queue up on a socket while the relay is busy all come through, in order, in both
 * directions: a burst is drained over several reads and loop iterations without waiting for the
 * next datagram to arrive.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class RelayBurstTest {
  /** Small enough that the burst fits the default socket receive buffers (no kernel drops). */
  private static final int BURST = 150;

  private static final String SEGMENTED_RUNS = "tafel_relay_udp_segmented_runs";
  private static final String KERNEL_DROPS = "tafel_relay_udp_listener_kernel_drops";

  /** What the relay's start-up log names as its UDP path here; a subclass runs the Netty path. */
  String expectedDatapath() {
    return "native UDP";
  }

  /** Whether the path hands the kernel runs for one destination as one segmented message. */
  boolean segmentsRuns() {
    return true;
  }

  private RelayFixture start() throws Exception {
    RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
    assertTrue(
        relay.server.datapath().contains(expectedDatapath()),
        () -> "datapath: " + relay.server.datapath());
    return relay;
  }

  /**
   * Each UDP listener asks for a 16 MiB receive buffer (some 40,000 small datagrams) and gets it
   * when the process may pass net.core.rmem_max (CAP_NET_ADMIN, as the suite runs here), else as
   * much as rmem_max allows: a refresh wave of 10,000 allocations overflowed the 4 MiB asked
   * before.
   */
  @Test
  void theListenersHaveTheReceiveBufferTheKernelAllows() throws Exception {
    try (RelayFixture relay = start()) {
      assertEquals(
          KernelBuffers.receiveBuffer(Transports.listenerReceiveBuffer()),
          relay.server.udpReceiveBuffer());
    }
  }

  /**
   * What the kernel drops at a listener's receive buffer, before the relay can count it itself, is
   * in tafel_relay_udp_listener_kernel_drops: with the loops held, a burst of Binding requests
   * larger than a 32 MiB buffer holds overflows it, and the gauge says exactly what /proc/net/udp
   * says.
   */
  @Test
  void whatTheKernelDropsAtAListenerIsInTheMetrics() throws Exception {
    try (RelayFixture relay = start();
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      assertEquals(0, relay.metric(KERNEL_DROPS));
      byte[] binding = new byte[20];
      binding[1] = 0x01; // Binding request, no attributes
      ByteBuffer.wrap(binding, 4, 4).putInt(0x2112A442);
      DatagramPacket p =
          new DatagramPacket(binding, 20, InetAddress.getLoopbackAddress(), relay.port());
      List<LoopHold> holds = new ArrayList<>();
      try {
        for (EventExecutor loop : relay.server.eventLoops()) {
          holds.add(LoopHold.hold(loop));
        }
        for (int i = 0; i < 80_000; i++) {
          client.send(p);
        }
      } finally {
        holds.forEach(LoopHold::close);
      }
      // The same count from the relay and from /proc/net/udp, once delivery has settled.
      long drops = -1;
      long proc = -2;
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < deadline) {
        drops = relay.metric(KERNEL_DROPS);
        proc = KernelBuffers.udpDrops(relay.port());
        if (drops == proc && drops == relay.metric(KERNEL_DROPS)) {
          break;
        }
        Thread.sleep(10);
      }
      long seen = drops;
      assertTrue(seen > 0, () -> "kernel drops " + seen);
      assertEquals(proc, drops);
    }
  }

  @Test
  void aBurstFromThePeerReachesTheClientWholeAndInOrder() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.socket.setReceiveBufferSize(1 << 20);
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed = c.allocate().xorAddress(StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(0, c.channelBind(0x4000, peerAddr).errorCode());
      long runsBefore = relay.metric(SEGMENTED_RUNS);

      for (int i = 0; i < BURST; i++) {
        byte[] payload = numbered(i);
        peer.send(new DatagramPacket(payload, payload.length, relayed));
      }
      for (int i = 0; i < BURST; i++) {
        byte[] cd = c.receiveRaw(3000);
        assertEquals(0x4000, ((cd[0] & 0xff) << 8) | (cd[1] & 0xff), "channel number");
        assertArrayEquals(numbered(i), Arrays.copyOfRange(cd, 4, cd.length), "datagram " + i);
      }
      assertEquals(0, relay.metricTotal("tafel_relay_dropped_packets_total"));
      // A burst read in batches leaves as runs for the one client (~10 runs per burst of 150 in
      // repeated runs: the relay wakes slower than the peer sends). The Netty path has no gauge.
      assertEquals(
          segmentsRuns(),
          relay.metricsText().contains(SEGMENTED_RUNS + " "),
          "segmented-run gauge");
      long runs = relay.metric(SEGMENTED_RUNS) - runsBefore;
      assertEquals(segmentsRuns(), runs > 0, () -> "segmented runs in the burst: " + runs);
    }
  }

  @Test
  void aBurstFromTheClientReachesThePeerWholeAndInOrder() throws Exception {
    sendABurstToThePeer(i -> false);
  }

  /**
   * Send indications and ChannelData in one burst, alternating: on the native path both are relayed
   * from where the listener read them, so a payload overwritten or sent from the wrong place before
   * the flush would show here as a wrong or reordered datagram.
   */
  @Test
  void aBurstOfSendIndicationsAndChannelDataReachesThePeerWholeAndInOrder() throws Exception {
    sendABurstToThePeer(i -> i % 2 == 0);
  }

  /**
   * Sends {@link #BURST} numbered datagrams to a bound peer, datagram {@code i} as a Send
   * indication where {@code asSendIndication} says so and as ChannelData otherwise, and checks that
   * the peer gets each whole and in order, with nothing dropped.
   */
  private void sendABurstToThePeer(IntPredicate asSendIndication) throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      peer.setReceiveBufferSize(1 << 20);
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      c.allocate();
      assertEquals(0, c.channelBind(0x4000, peerAddr).errorCode());

      for (int i = 0; i < BURST; i++) {
        if (asSendIndication.test(i)) {
          c.sendIndication(peerAddr, numbered(i));
        } else {
          c.channelData(0x4000, numbered(i));
        }
      }
      peer.setSoTimeout(3000);
      for (int i = 0; i < BURST; i++) {
        DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
        peer.receive(got);
        assertArrayEquals(
            numbered(i), Arrays.copyOf(got.getData(), got.getLength()), "datagram " + i);
      }
      assertEquals(0, relay.metricTotal("tafel_relay_dropped_packets_total"));
      assertEquals(BURST, relay.metric("tafel_relay_packets_total{direction=\"client_to_peer\"}"));
    }
  }

  /**
   * A peer datagram that cannot be framed for the client (longer than the relay reads whole, or too
   * long for the header in front) is dropped and counted; the next one still comes through.
   */
  @Test
  void aPeerDatagramTooLongToRelayIsDroppedAndCountedAndTheNextPasses() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed = c.allocate().xorAddress(StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(0, c.channelBind(0x4000, peerAddr).errorCode());

      for (int size : new int[] {5000, 4044}) {
        peer.send(new DatagramPacket(new byte[size], size, relayed));
      }
      byte[] last = numbered(7);
      peer.send(new DatagramPacket(last, last.length, relayed));
      byte[] cd = c.receiveRaw(3000);
      assertArrayEquals(last, Arrays.copyOfRange(cd, 4, cd.length));
      assertEquals(2, relay.metric("tafel_relay_dropped_packets_total{reason=\"oversize\"}"));
      assertEquals(2, relay.metricTotal("tafel_relay_dropped_packets_total"));
    }
  }

  /**
   * A TCP client that stops reading while its peer goes on sending: the relay's writes to it back
   * up (the socket takes part, the rest waits in the relay), and past the relay's limit datagrams
   * are dropped and counted. When the client reads again every frame is whole, padded and in order,
   * and what arrived plus what was counted is everything the peer sent.
   */
  /**
   * A TLS client gets a peer's datagrams whole and in order: its link copies each into Netty and
   * the TLS handler encrypts them at the loop's flush (the TCP tests cover the native write).
   */
  @Test
  void aTlsClientGetsThePeersDatagramsWholeAndInOrder() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").tls().start();
        RawTurnClient c = RawTurnClient.overTls(relay.server.turnsPort())) {
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed = c.allocate().xorAddress(StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(0, c.channelBind(0x4000, peerAddr).errorCode());

      int size = 161; // padded to 164 on the stream
      for (int i = 0; i < BURST; i++) {
        byte[] payload = numbered(i, size);
        peer.send(new DatagramPacket(payload, payload.length, relayed));
      }
      DataInputStream in = new DataInputStream(c.stream.getInputStream());
      byte[] frame = new byte[4 + size + 3];
      for (int i = 0; i < BURST; i++) {
        in.readFully(frame); // times out (3 s) if a frame never leaves the relay
        assertEquals(0x4000, ((frame[0] & 0xff) << 8) | (frame[1] & 0xff), "channel number");
        assertEquals(size, ((frame[2] & 0xff) << 8) | (frame[3] & 0xff), "length");
        assertArrayEquals(numbered(i, size), Arrays.copyOfRange(frame, 4, 4 + size), "frame " + i);
      }
      assertEquals(0, relay.metricTotal("tafel_relay_dropped_packets_total"));
    }
  }

  @Test
  void aTcpClientThatStopsReadingGetsWholeFramesInOrderAndTheRestIsCounted() throws Exception {
    int count = 12_000;
    int size = 1001; // not a multiple of 4: every frame carries padding
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = start();
        RawTurnClient c = RawTurnClient.overTcp(relay.port(), 8192)) {
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed = c.allocate().xorAddress(StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(0, c.channelBind(0x4000, peerAddr).errorCode());

      for (int i = 0; i < count; i++) {
        byte[] payload = numbered(i, size);
        peer.send(new DatagramPacket(payload, payload.length, relayed));
        if (i % 20 == 19) {
          Thread.sleep(1); // at most ~20 MB/s, so the relay socket's own buffer never overflows
        }
      }

      DataInputStream in = new DataInputStream(c.stream.getInputStream());
      c.stream.setSoTimeout(2000);
      byte[] frame = new byte[4 + size + 3];
      int received = 0;
      int last = -1;
      while (true) {
        try {
          in.readFully(frame, 0, 4);
        } catch (SocketTimeoutException quiet) {
          break;
        }
        assertEquals(0x4000, ((frame[0] & 0xff) << 8) | (frame[1] & 0xff), "channel number");
        int len = ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
        assertEquals(size, len, "length of frame " + received);
        in.readFully(frame, 4, (len + 3) & ~3);
        int seq = ByteBuffer.wrap(frame, 4, len).getInt();
        assertTrue(seq > last, "frame " + received + " is datagram " + seq + " after " + last);
        assertArrayEquals(numbered(seq, size), Arrays.copyOfRange(frame, 4, 4 + len));
        last = seq;
        received++;
      }
      long dropped = relay.metric("tafel_relay_dropped_packets_total{reason=\"write_backlog\"}");
      long passedOn = relay.metric("tafel_relay_packets_total{direction=\"peer_to_client\"}");
      assertTrue(dropped > 0, "the stream never backed up, so this tested nothing");
      assertEquals(passedOn, received, "relayed to the client but never received");
      assertTrue(received + dropped <= count, "received " + received + ", dropped " + dropped);
      assertEquals(dropped, relay.metricTotal("tafel_relay_dropped_packets_total"));
    }
  }

  private static byte[] numbered(int i, int size) {
    ByteBuffer b = ByteBuffer.allocate(size).putInt(0, i).putInt(size - 4, ~i);
    for (int k = 4; k < size - 4; k++) {
      b.put(k, (byte) (i + k));
    }
    return b.array();
  }

  private static byte[] numbered(int i) {
    return ByteBuffer.allocate(160).putInt(0, i).putInt(156, ~i).array();
  }
}
