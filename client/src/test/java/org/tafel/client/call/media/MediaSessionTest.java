package org.tafel.client.call.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.rtp.RtpHeader;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;
import org.tafel.client.call.srtp.SrtpTransformer;

/** Two media sessions over a real UDP socket pair on loopback, no ICE. */
class MediaSessionTest {
  private static final byte[] CANARY = "CANARY-media-7f3e".getBytes(StandardCharsets.US_ASCII);
  private final SecureRandom random = new SecureRandom();

  @Test
  @Timeout(30)
  void everyPacketAuthenticatesAndStatsAddUpOverLoopback() throws Exception {
    SrtpMasterKey ab = SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, random);
    SrtpMasterKey ba = SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, random);
    try (UdpTransport ta = loopback();
        UdpTransport tb = loopback()) {
      ta.connect(tb.localAddress());
      tb.connect(ta.localAddress());
      MediaSession a = session(ta, ab, ba);
      MediaSession b = session(tb, ba, ab);
      a.start();
      b.start();
      Thread.sleep(2_500);
      a.stopSending();
      b.stopSending();
      CallStats sa = a.stop(Duration.ofMillis(300));
      CallStats sb = b.stop(Duration.ofMillis(300));

      System.out.print("A:\n" + sa.format() + "B:\n" + sb.format());
      for (CallStats s : new CallStats[] {sa, sb}) {
        assertEquals(0, s.authFailures(), s.format());
        assertEquals(0, s.replays(), s.format());
        assertEquals(0, s.invalid(), s.format());
        assertTrue(s.rtt().samples() >= 1, "no RTT sample:\n" + s.format());
        assertTrue(s.rtt().avgMillis() < 100, s.format());
        // 50 packets/s, paced in real time: no more than the elapsed time allows, and not
        // much fewer.
        long audio = s.sentPackets(MediaKind.AUDIO);
        double seconds = s.duration().toNanos() / 1e9;
        assertTrue(
            audio <= seconds * 50 + 1 && audio >= seconds * 50 * 0.85,
            "audio packets sent: " + audio + " in " + seconds + " s");
        for (CallStats.Sent sent : s.sent()) {
          assertTrue(sent.largestPacket() <= SyntheticMedia.MAX_PACKET, s.format());
        }
      }
      // Loopback loses nothing: what one sent, the other received, all of it accounted.
      assertEquals(sa.sentPackets(MediaKind.AUDIO), sb.receivedPackets(MediaKind.AUDIO));
      assertEquals(sa.sentPackets(MediaKind.VIDEO), sb.receivedPackets(MediaKind.VIDEO));
      assertEquals(sb.sentPackets(MediaKind.VIDEO), sa.receivedPackets(MediaKind.VIDEO));
      for (CallStats.Received r : sb.received()) {
        assertEquals(0, r.lost(), sb.format());
        assertEquals(r.expected(), r.packets());
      }
      assertTrue(sa.sentPackets(MediaKind.VIDEO) > 75 + 2 * 12, "key frames span packets");
    }
  }

  @Test
  @Timeout(30)
  void countsTamperedPacketsAsAuthenticationFailuresAndTheRestAsReceived() throws Exception {
    SrtpMasterKey key = SrtpMasterKey.generate(SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
    SrtpMasterKey unused = SrtpMasterKey.generate(SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
    try (UdpTransport ta = loopback();
        UdpTransport tb = loopback()) {
      ta.connect(tb.localAddress());
      tb.connect(ta.localAddress());
      MediaSession b = session(tb, unused, key);
      b.start();
      // A forger who knows the format but not the key, and a tamperer who flips a bit of a
      // genuine packet: both are refused.
      SrtpTransformer genuine = SrtpTransformer.sender(key);
      byte[] buf = new byte[300];
      for (int i = 0; i < 5; i++) {
        RtpHeader.write(buf, false, MediaKind.AUDIO.payloadType(), i, i * 960L, 0x1234);
        int n = genuine.protectRtp(buf, 112);
        buf[50] ^= 0x20;
        ta.send(buf, 0, n);
      }
      RtpHeader.write(buf, false, MediaKind.AUDIO.payloadType(), 100, 96_000L, 0x1234);
      int n = genuine.protectRtp(buf, 112);
      ta.send(buf, 0, n);
      ta.send(buf, 0, n);
      genuine.close();
      Thread.sleep(300);
      CallStats s = b.stop(Duration.ofMillis(100));
      assertEquals(5, s.authFailures(), s.format());
      assertEquals(1, s.replays(), s.format());
      assertEquals(1, s.receivedPackets(MediaKind.AUDIO), s.format());
    }
  }

  @Test
  @Timeout(30)
  void reportsLossAndJitterOfALossyPath() throws Exception {
    SrtpMasterKey ab = SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, random);
    SrtpMasterKey ba = SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, random);
    try (UdpTransport ta = loopback();
        UdpTransport tb = loopback()) {
      ta.connect(tb.localAddress());
      tb.connect(ta.localAddress());
      // Drops every 10th datagram A sends.
      MediaTransport lossy = new DroppingTransport(ta, 10);
      MediaSession a = session(lossy, ab, ba);
      MediaSession b = session(tb, ba, ab);
      a.start();
      b.start();
      Thread.sleep(2_000);
      a.stopSending();
      b.stopSending();
      CallStats sa = a.stop(Duration.ofMillis(200));
      CallStats sb = b.stop(Duration.ofMillis(200));
      long sent = sa.sentPackets(MediaKind.AUDIO) + sa.sentPackets(MediaKind.VIDEO);
      long lost = sb.received().stream().mapToLong(CallStats.Received::lost).sum();
      // About a tenth of A's datagrams (SRTCP included) never arrive.
      assertTrue(lost >= sent / 12 && lost <= sent / 8, "lost " + lost + " of " + sent);
      assertEquals(0, sb.authFailures());
      assertTrue(
          sb.received().stream().allMatch(r -> r.jitterMillis() >= 0 && r.jitterMillis() < 50),
          sb.format());
    }
  }

  private MediaSession session(MediaTransport t, SrtpMasterKey send, SrtpMasterKey receive) {
    return new MediaSession(
        t,
        new MediaSession.Config(send, receive, Set.of(MediaKind.AUDIO, MediaKind.VIDEO), CANARY),
        Clock.systemUTC(),
        random);
  }

  private static UdpTransport loopback() throws IOException {
    return UdpTransport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** A transport that silently drops every n-th datagram it is asked to send. */
  private static final class DroppingTransport implements MediaTransport {
    private final MediaTransport inner;
    private final int every;
    private long count;

    DroppingTransport(MediaTransport inner, int every) {
      this.inner = inner;
      this.every = every;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
      if (++count % every != 0) {
        inner.send(Arrays.copyOfRange(buf, off, off + len), 0, len);
      }
    }

    @Override
    public int receive(byte[] buf, int timeoutMillis) throws IOException {
      return inner.receive(buf, timeoutMillis);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
