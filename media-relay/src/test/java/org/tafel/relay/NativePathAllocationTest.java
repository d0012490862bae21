package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tafel.protocol.stun.StunAttribute;

/**
 * On the native UDP path a relayed ChannelData datagram makes no Java object: the relay's
 * event-loop threads allocate (nearly) nothing on the heap while they relay thousands of them both
 * ways. The figure is the threads' own allocation counter ({@code ThreadMXBean}), not time. (Send
 * indications are copied and parsed like requests and are not covered.)
 */
class NativePathAllocationTest {
  private static final int WARM_UP = 3000;
  private static final int MEASURED = 5000;

  /** Per relayed datagram; a DatagramPacket and an address alone would be over 50. */
  private static final double MAX_BYTES_PER_DATAGRAM = 1.0;

  @Test
  void relayingChannelDataAllocatesNothingOnTheEventLoops() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      assertTrue(relay.server.datapath().contains("native UDP"), relay.server.datapath());
      peer.setSoTimeout(3000);
      c.socket.setSoTimeout(3000);
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed = c.allocate().xorAddress(StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(0, c.channelBind(0x4000, peerAddr).errorCode());
      List<Long> loops = eventLoopThreads();
      assertFalse(loops.isEmpty(), "no relay event-loop threads found");

      roundTrips(c, peer, relayed, WARM_UP);
      long before = allocated(loops);
      roundTrips(c, peer, relayed, MEASURED);
      long bytes = allocated(loops) - before;

      double perDatagram = (double) bytes / (2 * MEASURED);
      assertTrue(
          perDatagram < MAX_BYTES_PER_DATAGRAM,
          "event loops allocated " + bytes + " bytes for " + 2 * MEASURED + " datagrams");
      assertEquals(0, relay.metricTotal("tafel_relay_dropped_packets_total"));
    }
  }

  /** Client → relay → peer, peer → relay → client, one at a time. */
  private static void roundTrips(
      RawTurnClient c, DatagramSocket peer, InetSocketAddress relayed, int n) throws Exception {
    byte[] payload = new byte[160];
    DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
    for (int i = 0; i < n; i++) {
      c.channelData(0x4000, payload);
      peer.receive(got);
      peer.send(new DatagramPacket(payload, payload.length, relayed));
      c.receiveRaw(3000);
    }
  }

  private static List<Long> eventLoopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tafel-relay"))
        .map(Thread::getId)
        .toList();
  }

  private static long allocated(List<Long> threads) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : threads) {
      sum += mx.getThreadAllocatedBytes(id);
    }
    return sum;
  }
}
