package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/** Every error code of RFC 8656 the relay answers, each triggered by a real request. */
@ExtendWith(NettyLeakDetectorExtension.class)
class TurnErrorCodesTest {
  /** A documentation address, allow-listed where used; nothing is ever sent to it. */
  private static final InetSocketAddress PUBLIC_PEER = new InetSocketAddress("192.0.2.1", 5000);

  private static final String DOC_RANGE = "192.0.2.0/24";

  @Test
  void challengesAnUnsignedAllocateWith401RealmAndNonce() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      RawTurnClient.Response r =
          c.request(StunMethod.ALLOCATE, false, w -> w.addRequestedTransport(17));
      assertEquals(StunClass.ERROR_RESPONSE, r.cls());
      assertEquals(401, r.errorCode());
      assertEquals(RelayFixture.REALM, r.string(StunAttribute.REALM));
      assertNotNull(r.string(StunAttribute.NONCE));
    }
  }

  @Test
  void refusesAWrongSecretWith401AndRelaysNothing() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser("not-the-secret", "teacher");
      RawTurnClient.Response r = c.allocate();
      assertEquals(401, r.errorCode());
      assertTrue(relay.metric("tafel_relay_auth_failures_total") >= 1);
      try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        c.sendIndication(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort()),
            new byte[] {1, 2, 3});
        c.channelData(0x4000, new byte[] {1, 2, 3});
        peer.setSoTimeout(500);
        assertThrowsTimeout(peer);
      }
      assertEquals(0, relay.metric("tafel_relay_packets_total{direction=\"client_to_peer\"}"));
      assertEquals(0, relay.server.allocationCount());
    }
  }

  static void assertThrowsTimeout(DatagramSocket s) throws Exception {
    try {
      s.receive(new java.net.DatagramPacket(new byte[2048], 2048));
      throw new AssertionError("the peer received a datagram");
    } catch (java.net.SocketTimeoutException expected) {
      // nothing relayed
    }
  }

  @Test
  void answersAForgedNonceWith438AndAFreshOne() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      c.nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAA";
      RawTurnClient.Response r =
          c.request(StunMethod.ALLOCATE, true, w -> w.addRequestedTransport(17));
      assertEquals(438, r.errorCode());
      String fresh = r.string(StunAttribute.NONCE);
      assertNotNull(fresh);
      c.nonce = fresh;
      assertEquals(StunClass.SUCCESS_RESPONSE, c.allocate().cls());
    }
  }

  @Test
  void refusesAllocateWithoutRequestedTransportWith400() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher").challenge();
      assertEquals(400, c.request(StunMethod.ALLOCATE, true, w -> {}).errorCode());
    }
  }

  @Test
  void refusesTcpRelayingWith442() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher").challenge();
      assertEquals(
          442, c.request(StunMethod.ALLOCATE, true, w -> w.addRequestedTransport(6)).errorCode());
    }
  }

  @Test
  void refusesUnknownComprehensionRequiredAttributeWith420() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher").challenge();
      RawTurnClient.Response r =
          c.request(
              StunMethod.ALLOCATE,
              true,
              w -> w.addRequestedTransport(17).addBytes(0x0030, new byte[] {1, 2, 3, 4}));
      assertEquals(420, r.errorCode());
      assertTrue(r.has(StunAttribute.UNKNOWN_ATTRIBUTES));
    }
  }

  @Test
  void refusesASecondAllocateOnTheSameFiveTupleWith437() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      assertEquals(StunClass.SUCCESS_RESPONSE, c.allocate().cls());
      assertEquals(437, c.allocate().errorCode());
    }
  }

  @Test
  void refusesRefreshWithoutAllocationWith437() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher").challenge();
      assertEquals(437, c.refresh(600).errorCode());
    }
  }

  @Test
  void refusesOtherCredentialsOnAnAllocationWith441() throws Exception {
    try (RelayFixture relay =
            RelayFixture.builder()
                .allowPeer(DOC_RANGE)
                .users(Map.of("alice", "pw-a", "bob", "pw-b"))
                .start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.staticUser("alice", "pw-a");
      assertEquals(StunClass.SUCCESS_RESPONSE, c.allocate().cls());
      c.staticUser("bob", "pw-b");
      assertEquals(441, c.createPermission(PUBLIC_PEER).errorCode());
    }
  }

  @Test
  void refusesAllocationsPastThePerUserQuotaWith486() throws Exception {
    RelayConfig.Limits d = RelayConfig.Limits.defaults();
    RelayConfig.Limits oneEach =
        new RelayConfig.Limits(
            1,
            d.allocationsTotal(),
            d.permissionsPerAllocation(),
            0,
            d.defaultLifetime(),
            d.maxLifetime(),
            d.permissionLifetime(),
            d.channelLifetime(),
            d.nonceLifetime());
    try (RelayFixture relay = RelayFixture.builder().limits(oneEach).start();
        RawTurnClient a = new RawTurnClient(relay.port());
        RawTurnClient b = new RawTurnClient(relay.port())) {
      a.restUser(RelayFixture.SECRET, "teacher");
      b.username = a.username;
      b.password = a.password;
      assertEquals(StunClass.SUCCESS_RESPONSE, a.allocate().cls());
      assertEquals(486, b.allocate().errorCode());
    }
  }

  @Test
  void refusesAllocationsPastThePortRangeWith508AtOnce() throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (RelayFixture relay = RelayFixture.builder().relayPorts(port, port).start();
        RawTurnClient a = new RawTurnClient(relay.port());
        RawTurnClient b = new RawTurnClient(relay.port())) {
      a.restUser(RelayFixture.SECRET, "teacher-a");
      b.restUser(RelayFixture.SECRET, "teacher-b");
      assertEquals(StunClass.SUCCESS_RESPONSE, a.allocate().cls());
      long start = System.nanoTime();
      assertEquals(508, b.allocate().errorCode());
      assertTrue(System.nanoTime() - start < 2_000_000_000L, "508 must come at once");
      // Freeing the first gives the port back for the second.
      assertEquals(0, a.refresh(0).errorCode());
      assertEquals(StunClass.SUCCESS_RESPONSE, b.allocate().cls());
    }
  }

  @Test
  void refusesChannelNumbersOutsideTheRangeWith400() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().allowPeer(DOC_RANGE).start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      c.allocate();
      assertEquals(400, c.channelBind(0x3FFF, PUBLIC_PEER).errorCode());
      assertEquals(400, c.channelBind(0x8000, PUBLIC_PEER).errorCode());
    }
  }

  @Test
  void refusesRebindingAChannelToAnotherPeerWith400() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().allowPeer(DOC_RANGE).start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      c.allocate();
      assertEquals(0, c.channelBind(0x4001, PUBLIC_PEER).errorCode());
      assertEquals(
          400, c.channelBind(0x4001, new InetSocketAddress("192.0.2.1", 5001)).errorCode());
      assertEquals(400, c.channelBind(0x4002, PUBLIC_PEER).errorCode());
      assertEquals(0, c.channelBind(0x4001, PUBLIC_PEER).errorCode(), "refresh is allowed");
    }
  }

  @Test
  void answersBindingWithTheMappedAddress() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      RawTurnClient.Response r = c.request(StunMethod.BINDING, false, w -> {});
      assertEquals(StunClass.SUCCESS_RESPONSE, r.cls());
      assertEquals(
          c.socket.getLocalPort(), r.xorAddress(StunAttribute.XOR_MAPPED_ADDRESS).getPort());
    }
  }

  @Test
  void freesTheAllocationAndItsPortOnRefreshZero() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      RawTurnClient.Response r = c.allocate();
      assertNotNull(r.xorAddress(StunAttribute.XOR_RELAYED_ADDRESS));
      assertEquals(1, relay.server.relayPortsInUse());
      assertEquals(0, c.refresh(0).errorCode());
      assertEquals(0, relay.server.relayPortsInUse());
      assertEquals(0, relay.server.allocationCount());
    }
  }

  @Test
  void expiresAbandonedAllocationsAndReturnsTheirPorts() throws Exception {
    try (RelayFixture relay =
            RelayFixture.builder().limits(RelayFixture.shortLifetimes(1)).start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      c.restUser(RelayFixture.SECRET, "teacher");
      c.allocate();
      assertEquals(1, relay.server.relayPortsInUse());
      long deadline = System.currentTimeMillis() + 5000;
      while (relay.server.relayPortsInUse() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, relay.server.relayPortsInUse());
      assertEquals(0, relay.server.allocationCount());
      assertEquals(1, relay.metric("tafel_relay_allocations_expired_total"));
    }
  }
}
