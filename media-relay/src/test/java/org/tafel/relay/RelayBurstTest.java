package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/**
 * Datagrams that queue up on a socket while the relay is busy all come through, in order, in both
 * directions: a burst is drained over several reads and loop iterations without waiting for the
 * next datagram to arrive.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class RelayBurstTest {
  /** Small enough that the burst fits the default socket receive buffers (no kernel drops). */
  private static final int BURST = 150;

  /** What the relay's start-up log names as its UDP path here; a subclass runs the Netty path. */
  String expectedDatapath() {
    return "native UDP";
  }

  private RelayFixture start() throws Exception {
    RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
    assertTrue(
        relay.server.datapath().contains(expectedDatapath()),
        () -> "datapath: " + relay.server.datapath());
    return relay;
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
    }
  }

  @Test
  void aBurstFromTheClientReachesThePeerWholeAndInOrder() throws Exception {
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
        c.channelData(0x4000, numbered(i));
      }
      peer.setSoTimeout(3000);
      for (int i = 0; i < BURST; i++) {
        DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
        peer.receive(got);
        assertArrayEquals(
            numbered(i), Arrays.copyOf(got.getData(), got.getLength()), "datagram " + i);
      }
      assertEquals(0, relay.metricTotal("tafel_relay_dropped_packets_total"));
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

  private static byte[] numbered(int i) {
    return ByteBuffer.allocate(160).putInt(0, i).putInt(156, ~i).array();
  }
}
