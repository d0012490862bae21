package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.protocol.testing.MutableClock;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/**
 * The relay keeps what it looked up for the last datagram (a channel's binding and permission, the
 * last peer's binding and permission) and must notice at once when that changes while datagrams
 * flow: a channel bound mid-stream, a second peer on the same address, a permission that lapses and
 * is renewed.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class MidStreamChangesTest {
  private static final int CHANNEL = 0x4001;
  private static final String NO_PERMISSION =
      "tafel_relay_dropped_packets_total{reason=\"no_permission\"}";
  private static final String UNBOUND =
      "tafel_relay_dropped_packets_total{reason=\"unbound_channel\"}";

  /** What the relay's start-up log names as its UDP path here; a subclass runs the Netty path. */
  String expectedDatapath() {
    return "native UDP";
  }

  private RelayFixture start(RelayConfig.Limits limits) throws Exception {
    return start(limits, Clock.systemUTC());
  }

  private RelayFixture start(RelayConfig.Limits limits, Clock clock) throws Exception {
    RelayFixture relay =
        RelayFixture.builder().allowPeer("127.0.0.0/8").limits(limits).clock(clock).start();
    assertTrue(
        relay.server.datapath().contains(expectedDatapath()),
        () -> "datapath: " + relay.server.datapath());
    return relay;
  }

  @Test
  void peerDatagramsTurnIntoChannelDataOnceTheChannelIsBoundAndOnlyForThatPeer() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = start(RelayConfig.Limits.defaults());
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress peerAddr = (InetSocketAddress) peer.getLocalSocketAddress();
      c.restUser(RelayFixture.SECRET, "teacher");
      InetSocketAddress relayed = c.allocate().xorAddress(StunAttribute.XOR_RELAYED_ADDRESS);
      assertEquals(StunClass.SUCCESS_RESPONSE, c.createPermission(peerAddr).cls());

      send(peer, relayed, "before");
      assertDataIndication(c.receiveRaw(3000), peerAddr, "before");
      assertEquals(0, c.channelBind(CHANNEL, peerAddr).errorCode());
      send(peer, relayed, "after");
      assertChannelData(c.receiveRaw(3000), "after");
      // Same address (so the same permission), another port: not the channel's peer.
      send(other, relayed, "other");
      assertDataIndication(
          c.receiveRaw(3000), (InetSocketAddress) other.getLocalSocketAddress(), "other");
      send(peer, relayed, "again");
      assertChannelData(c.receiveRaw(3000), "again");
      assertEquals(0, relay.metricTotal("tafel_relay_dropped_packets_total"));
    }
  }

  @Test
  void aLapsedPermissionStopsBothDirectionsOfABoundChannelUntilItIsRenewed() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = start(lifetimes(Duration.ofSeconds(1), Duration.ofSeconds(600)));
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress peerAddr = (InetSocketAddress) peer.getLocalSocketAddress();
      InetSocketAddress relayed = bindAndRelay(c, peer);
      for (int round = 0; round < 2; round++) {
        Thread.sleep(1500); // past the permission's lifetime
        if (round == 1) {
          assertEquals(0, c.refresh(600).errorCode()); // purges the lapsed permission at once
        }
        assertBothDirectionsRefused(relay, c, peer, relayed, "lapsed");

        // Renewed: the first round by CreatePermission (the lapsed permission, not yet purged, is
        // refreshed), the second by ChannelBind (§12.2; a new permission after the purge).
        if (round == 0) {
          assertEquals(StunClass.SUCCESS_RESPONSE, c.createPermission(peerAddr).cls());
        } else {
          assertEquals(0, c.channelBind(CHANNEL, peerAddr).errorCode());
        }
        relaysBothWays(c, peer, relayed, "renewed " + round);
      }
    }
  }

  /** The default limits with these lifetimes of permissions and channel bindings. */
  private static RelayConfig.Limits lifetimes(Duration permission, Duration channel) {
    RelayConfig.Limits d = RelayConfig.Limits.defaults();
    return new RelayConfig.Limits(
        d.allocationsPerUser(),
        d.allocationsTotal(),
        d.permissionsPerAllocation(),
        d.bytesPerSecondPerAllocation(),
        d.defaultLifetime(),
        d.maxLifetime(),
        permission,
        channel,
        d.nonceLifetime());
  }

  /**
   * A permission, once purged, stays gone even when the wall clock then steps back to before its
   * expiry: what the relay remembered for the last datagrams (the channel's permission, the last
   * peer's) goes with it, though the channel it belongs to stays bound.
   */
  @Test
  void aPurgedPermissionStaysGoneWhenTheClockStepsBack() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay =
            start(lifetimes(Duration.ofSeconds(1), Duration.ofSeconds(600)), clock);
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress relayed = bindAndRelay(c, peer);

      clock.advance(Duration.ofSeconds(2));
      assertEquals(0, c.refresh(600).errorCode()); // purges the lapsed permission
      clock.advance(Duration.ofSeconds(-2)); // the wall clock steps back
      assertBothDirectionsRefused(relay, c, peer, relayed, "purged");
    }
  }

  @Test
  void aChannelThatLapsesIsPurgedAndIsBoundAgainCarriesTheStreamAgain() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = start(lifetimes(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress peerAddr = (InetSocketAddress) peer.getLocalSocketAddress();
      InetSocketAddress relayed = bindAndRelay(c, peer);

      Thread.sleep(1500); // past the channel's and the permission's lifetimes
      assertEquals(0, c.refresh(600).errorCode()); // purges both at once
      long refused = relay.metric(NO_PERMISSION);
      long unbound = relay.metric(UNBOUND);
      c.channelData(CHANNEL, "lapsed".getBytes());
      send(peer, relayed, "lapsed");
      assertNull(receive(peer, 300), "relayed to the peer on a purged channel");
      assertNull(c.receiveRaw(300), "relayed to the client without a permission");
      assertEquals(refused + 1, relay.metric(NO_PERMISSION), relay.metricsText());
      assertEquals(unbound + 1, relay.metric(UNBOUND), relay.metricsText());

      assertEquals(0, c.channelBind(CHANNEL, peerAddr).errorCode()); // a new binding
      relaysBothWays(c, peer, relayed, "bound again");
    }
  }

  /**
   * Allocates, binds {@link #CHANNEL} to {@code peer} and relays a datagram each way, so that the
   * relay has looked everything up once; returns the relayed address.
   */
  private static InetSocketAddress bindAndRelay(RawTurnClient c, DatagramSocket peer)
      throws Exception {
    c.restUser(RelayFixture.SECRET, "teacher");
    InetSocketAddress relayed = c.allocate().xorAddress(StunAttribute.XOR_RELAYED_ADDRESS);
    InetSocketAddress peerAddr = (InetSocketAddress) peer.getLocalSocketAddress();
    assertEquals(0, c.channelBind(CHANNEL, peerAddr).errorCode());
    relaysBothWays(c, peer, relayed, "first");
    return relayed;
  }

  /**
   * ChannelData with {@code text} does not reach the peer, nor the peer's datagram the client, and
   * both are counted as refused for want of a permission.
   */
  private static void assertBothDirectionsRefused(
      RelayFixture relay,
      RawTurnClient c,
      DatagramSocket peer,
      InetSocketAddress relayed,
      String text)
      throws Exception {
    long refused = relay.metric(NO_PERMISSION);
    c.channelData(CHANNEL, text.getBytes());
    send(peer, relayed, text);
    assertNull(receive(peer, 300), "relayed to the peer without a live permission: " + text);
    assertNull(c.receiveRaw(300), "relayed to the client without a live permission: " + text);
    assertEquals(refused + 2, relay.metric(NO_PERMISSION), relay.metricsText());
  }

  /** ChannelData with {@code text} reaches the peer, and the peer's reply the client. */
  private static void relaysBothWays(
      RawTurnClient c, DatagramSocket peer, InetSocketAddress relayed, String text)
      throws Exception {
    c.channelData(CHANNEL, text.getBytes());
    assertEquals(text, receive(peer, 3000));
    send(peer, relayed, text);
    assertChannelData(c.receiveRaw(3000), text);
  }

  private static void send(DatagramSocket from, InetSocketAddress to, String text)
      throws Exception {
    byte[] b = text.getBytes();
    from.send(new DatagramPacket(b, b.length, to));
  }

  /** The text of the next datagram on {@code s}, or null when none comes in time. */
  private static String receive(DatagramSocket s, int timeoutMillis) throws Exception {
    s.setSoTimeout(timeoutMillis);
    DatagramPacket got = new DatagramPacket(new byte[100], 100);
    try {
      s.receive(got);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new String(got.getData(), 0, got.getLength());
  }

  private static void assertChannelData(byte[] datagram, String text) {
    assertNotNull(datagram, "nothing reached the client");
    assertEquals(CHANNEL, ((datagram[0] & 0xff) << 8) | (datagram[1] & 0xff), "channel number");
    assertArrayEquals(text.getBytes(), Arrays.copyOfRange(datagram, 4, datagram.length));
  }

  private static void assertDataIndication(byte[] datagram, InetSocketAddress from, String text)
      throws Exception {
    assertNotNull(datagram, "nothing reached the client");
    RawTurnClient.Response r =
        new RawTurnClient.Response(StunClass.INDICATION, StunMethod.DATA, 0, datagram);
    assertEquals(
        StunMethod.messageType(StunMethod.DATA, StunClass.INDICATION),
        ((datagram[0] & 0xff) << 8) | (datagram[1] & 0xff),
        "a Data indication");
    assertEquals(from, r.xorAddress(StunAttribute.XOR_PEER_ADDRESS));
    assertEquals(text, r.string(StunAttribute.DATA));
  }
}
