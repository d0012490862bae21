package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

  @Test
  void aBurstFromThePeerReachesTheClientWholeAndInOrder() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
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
        RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
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

  private static byte[] numbered(int i) {
    return ByteBuffer.allocate(160).putInt(0, i).putInt(156, ~i).array();
  }
}
