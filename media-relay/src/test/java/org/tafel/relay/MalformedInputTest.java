package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/**
 * Hostile and broken input never crashes the relay, never leaks a buffer (paranoid leak detection
 * fails the test), is counted, and the relay keeps relaying for others.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class MalformedInputTest {

  @Test
  void survivesMalformedDatagramsAndKeepsRelaying() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        RawTurnClient good = new RawTurnClient(relay.port());
        RawTurnClient evil = new RawTurnClient(relay.port())) {
      InetSocketAddress peerAddr =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      good.restUser(RelayFixture.SECRET, "good");
      assertEquals(StunClass.SUCCESS_RESPONSE, good.allocate().cls());
      assertEquals(0, good.channelBind(0x4000, peerAddr).errorCode());

      evil.restUser(RelayFixture.SECRET, "evil");
      byte[] allocate =
          evil.build(
              StunMethod.ALLOCATE, StunClass.REQUEST, false, w -> w.addRequestedTransport(17));
      // truncated header, truncated body, wrong length fields, bad cookie
      evil.sendRaw(new byte[] {0, 1, 0});
      evil.sendRaw(java.util.Arrays.copyOf(allocate, allocate.length - 5));
      byte[] wrongLength = allocate.clone();
      wrongLength[3] = (byte) (wrongLength[3] + 8);
      evil.sendRaw(wrongLength);
      byte[] oddLength = allocate.clone();
      oddLength[3] = (byte) (oddLength[3] - 1);
      evil.sendRaw(oddLength);
      byte[] badCookie = allocate.clone();
      badCookie[4] ^= 0x55;
      evil.sendRaw(badCookie);
      // an attribute whose length runs past the end
      byte[] overrun = allocate.clone();
      overrun[22] = 0x7f;
      evil.sendRaw(overrun);
      // ChannelData on an unbound channel and without an allocation; a short ChannelData
      evil.channelData(0x4000, new byte[] {1, 2, 3});
      good.channelData(0x4123, new byte[] {1, 2, 3});
      evil.sendRaw(new byte[] {0x40, 0x00, 0x00});
      good.sendRaw(new byte[] {0x40, 0x00, 0x10, 0x00, 1, 2});
      // a Send indication with an unknown comprehension-required attribute, without DATA
      good.sendRaw(
          good.build(
              StunMethod.SEND,
              StunClass.INDICATION,
              false,
              w ->
                  w.addXorAddress(org.tafel.protocol.stun.StunAttribute.XOR_PEER_ADDRESS, peerAddr)
                      .addBytes(0x0031, new byte[] {9})
                      .addBytes(org.tafel.protocol.stun.StunAttribute.DATA, new byte[] {1})));
      good.sendRaw(
          good.build(
              StunMethod.SEND,
              StunClass.INDICATION,
              false,
              w ->
                  w.addXorAddress(
                      org.tafel.protocol.stun.StunAttribute.XOR_PEER_ADDRESS, peerAddr)));
      // oversize and garbage
      evil.sendRaw(new byte[65_000]);
      Random random = new Random(8656);
      for (int i = 0; i < 2000; i++) {
        byte[] junk = new byte[1 + random.nextInt(600)];
        random.nextBytes(junk);
        if (i % 2 == 0) {
          junk[0] &= 0x3f; // looks like STUN
        }
        evil.sendRaw(junk);
      }
      // a response and an indication of an unexpected kind
      evil.sendRaw(evil.build(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, false, w -> {}));
      Thread.sleep(300);
      long dropped = relay.metricTotal("tafel_relay_dropped_packets_total");
      assertTrue(dropped >= 10, "drops are counted:\n" + relay.metricsText());
      assertTrue(relay.metric("tafel_relay_dropped_packets_total{reason=\"malformed\"}") >= 6);
      assertTrue(
          relay.metric("tafel_relay_dropped_packets_total{reason=\"unbound_channel\"}") >= 1);
      assertTrue(relay.metric("tafel_relay_dropped_packets_total{reason=\"no_allocation\"}") >= 1);

      // The good client still relays both ways.
      good.channelData(0x4000, "still here".getBytes());
      peer.setSoTimeout(3000);
      DatagramPacket got = new DatagramPacket(new byte[100], 100);
      peer.receive(got);
      assertEquals("still here", new String(got.getData(), 0, got.getLength()));
      peer.send(new DatagramPacket(new byte[] {7, 7}, 2, got.getSocketAddress()));
      byte[] back = good.receiveRaw(3000);
      assertEquals(6, back.length);
      // And new clients are still served.
      try (RawTurnClient late = new RawTurnClient(relay.port())) {
        late.restUser(RelayFixture.SECRET, "late");
        assertEquals(StunClass.SUCCESS_RESPONSE, late.allocate().cls());
      }
    }
  }

  /**
   * A client with an allocation has its Send indications parsed where the listener read them (on
   * the native path): cut short, or no more than the message type, each is dropped and counted as
   * malformed, and the client's next Send indication still reaches the peer.
   */
  @Test
  void dropsBrokenSendIndicationsFromAnAllocatedClientAndRelaysTheNext() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start();
        RawTurnClient c = new RawTurnClient(relay.port())) {
      InetSocketAddress peerAddr = (InetSocketAddress) peer.getLocalSocketAddress();
      c.restUser(RelayFixture.SECRET, "teacher");
      assertEquals(StunClass.SUCCESS_RESPONSE, c.allocate().cls());
      assertEquals(StunClass.SUCCESS_RESPONSE, c.createPermission(peerAddr).cls());
      String malformed = "tafel_relay_dropped_packets_total{reason=\"malformed\"}";
      long before = relay.metric(malformed);

      byte[] send =
          c.build(
              StunMethod.SEND,
              StunClass.INDICATION,
              false,
              w ->
                  w.addXorAddress(org.tafel.protocol.stun.StunAttribute.XOR_PEER_ADDRESS, peerAddr)
                      .addBytes(org.tafel.protocol.stun.StunAttribute.DATA, new byte[] {1, 2, 3}));
      c.sendRaw(java.util.Arrays.copyOf(send, send.length - 6)); // length field says more
      c.sendRaw(new byte[] {0x00, 0x16}); // a Send indication's type and nothing else
      c.sendIndication(peerAddr, "after".getBytes());

      peer.setSoTimeout(3000);
      DatagramPacket got = new DatagramPacket(new byte[100], 100);
      peer.receive(got);
      assertEquals("after", new String(got.getData(), 0, got.getLength()));
      assertEquals(before + 2, relay.metric(malformed), relay.metricsText());
      assertEquals(1, relay.metric("tafel_relay_packets_total{direction=\"client_to_peer\"}"));
    }
  }

  @Test
  void closesAStreamThatIsNeitherStunNorChannelDataAndServesOthers() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start()) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
        s.setSoTimeout(3000);
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {(byte) 0xC0, 0, 0, 4, 1, 2, 3, 4});
        out.flush();
        assertEquals(-1, s.getInputStream().read(), "the relay closes the connection");
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
        s.setSoTimeout(3000);
        byte[] req = bindingRequest();
        s.getOutputStream().write(req);
        byte[] header = s.getInputStream().readNBytes(20);
        assertEquals(0x01, header[0]);
        assertEquals(0x01, header[1], "a Binding success response over TCP");
      }
    }
  }

  @Test
  void answersBindingOverTls() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().tls().start();
        RawTurnClient c = RawTurnClient.overTls(relay.server.turnsPort())) {
      c.stream.setSoTimeout(5000);
      c.stream.getOutputStream().write(bindingRequest());
      InputStream in = c.stream.getInputStream();
      byte[] header = in.readNBytes(20);
      assertEquals(0x01, header[0]);
      assertEquals(0x01, header[1]);
    }
  }

  private static byte[] bindingRequest() throws Exception {
    try (RawTurnClient c = new RawTurnClient(1)) {
      return c.build(StunMethod.BINDING, StunClass.REQUEST, false, w -> {});
    }
  }
}
