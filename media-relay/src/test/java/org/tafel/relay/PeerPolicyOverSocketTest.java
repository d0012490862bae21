package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/** DESIGN.md §5 peer policy, exercised with real requests. */
@ExtendWith(NettyLeakDetectorExtension.class)
class PeerPolicyOverSocketTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254"})
  void refusesNonGlobalPeersWith403AndCountsThem(String ip) throws Exception {
    refuses(new InetSocketAddress(InetAddress.getByName(ip), 5000));
  }

  @Test
  void checksIpv4MappedIpv6PeersAsIpv4() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 1;
    refuses(new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), 5000));
  }

  private static void refuses(InetSocketAddress peer) throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      assertEquals(StunClass.SUCCESS_RESPONSE, c.allocate().cls());
      assertEquals(403, c.createPermission(peer).errorCode());
      assertEquals(403, c.channelBind(0x4000, peer).errorCode());
      assertEquals(2, relay.metric("tafel_relay_denied_peers_total"));
      assertTrue(relay.metricsText().contains("tafel_relay_error_responses_total{code=\"403\"} 2"));
    }
  }

  @Test
  void refusesTheRelaysOwnAdminPortEvenWhenLoopbackIsAllowed() throws Exception {
    try (DatagramSocket admin = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = protecting(admin);
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress adminAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), admin.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      c.allocate();
      assertEquals(403, c.channelBind(0x4000, adminAddr).errorCode());
      // The address is allowed, so the permission (which has no port) is installed; the port
      // rule is checked per datagram and drops what is sent to the admin port.
      assertEquals(0, c.createPermission(adminAddr).errorCode());
      c.sendIndication(adminAddr, new byte[] {42});
      admin.setSoTimeout(500);
      TurnErrorCodesTest.assertThrowsTimeout(admin);
      InetSocketAddress listener =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port());
      assertEquals(403, c.channelBind(0x4001, listener).errorCode());
      assertTrue(relay.metric("tafel_relay_dropped_packets_total{reason=\"peer_policy\"}") >= 1);
    }
  }

  /**
   * The port rule holds the other way too: what a service port of the relay's host sends to a
   * relayed address is dropped and counted, though the address has a permission; the same peer
   * address from another port is relayed.
   */
  @Test
  void dropsWhatTheHostsServicePortsSendToARelayedAddress() throws Exception {
    try (DatagramSocket admin = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = protecting(admin);
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed =
          c.allocate().xorAddress(org.tafel.protocol.stun.StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(
          0, c.createPermission((InetSocketAddress) peer.getLocalSocketAddress()).errorCode());
      String refused = "tafel_relay_dropped_packets_total{reason=\"peer_policy\"}";
      for (int i = 0; i < 3; i++) {
        admin.send(new DatagramPacket(new byte[] {42}, 1, relayed));
      }
      peer.send(new DatagramPacket("peer".getBytes(), 4, relayed));
      byte[] got = c.receiveRaw(3000);
      assertTrue(got != null, "nothing reached the client");
      assertEquals(
          "peer",
          new RawTurnClient.Response(StunClass.INDICATION, 0, 0, got)
              .string(org.tafel.protocol.stun.StunAttribute.DATA));
      assertEquals(3, relay.metric(refused), relay.metricsText());
      assertEquals(3, relay.metric("tafel_relay_denied_peers_total"));
    }
  }

  /** A relay that allows loopback peers and protects {@code service}'s port as its own. */
  private static RelayFixture protecting(DatagramSocket service) throws Exception {
    return RelayFixture.builder()
        .allowPeer("127.0.0.0/8")
        .protectedPorts(Set.of(service.getLocalPort()))
        .start();
  }

  @Test
  void relaysToAnAllowListedPeerBothWays() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed =
          c.allocate().xorAddress(org.tafel.protocol.stun.StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(0, c.channelBind(0x4000, peerAddr).errorCode());
      c.channelData(0x4000, "hello".getBytes());
      peer.setSoTimeout(3000);
      DatagramPacket got = new DatagramPacket(new byte[100], 100);
      peer.receive(got);
      assertEquals("hello", new String(got.getData(), 0, got.getLength()));
      assertEquals(relayed.getPort(), got.getPort());
      byte[] back = "world".getBytes();
      peer.send(new DatagramPacket(back, back.length, relayed));
      byte[] cd = c.receiveRaw(3000);
      assertEquals(0x40, cd[0] & 0xff);
      assertEquals(0x00, cd[1] & 0xff);
      assertEquals(5, cd[3]);
      assertEquals("world", new String(cd, 4, 5));
    }
  }
}
