package org.tafel.client.call.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.rtp.RtpHeader;
import org.tafel.client.call.srtp.SrtpProfile;

class SyntheticMediaTest {
  private static final byte[] MARKER = "CANARY".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void videoFramesSplitIntoPacketsThatStayWithin1200BytesOnceProtected(SrtpProfile profile) {
    SyntheticMedia video = new SyntheticMedia(MediaKind.VIDEO, 42, MARKER, profile.tagLength(), 7);
    byte[] buf = new byte[1500];
    int lastSeq = -1;
    long lastTs = -1;
    int keyFramePackets = 0;
    for (int frame = 0; frame < 90; frame++) {
      int[] sizes = video.nextFrame();
      int total = Arrays.stream(sizes).sum();
      if (frame % 60 == 0) {
        assertEquals(15_000, total, "key frame every 2 s");
        keyFramePackets = sizes.length;
      } else {
        assertTrue(total >= 2_000 && total < 3_000, "delta frame " + total);
      }
      for (int i = 0; i < sizes.length; i++) {
        int len = video.writePacket(buf, sizes[i], i == sizes.length - 1);
        assertTrue(len + profile.tagLength() <= SyntheticMedia.MAX_PACKET, "packet " + len);
        assertEquals(i == sizes.length - 1, RtpHeader.marker(buf), "marker on the last packet");
        assertEquals(96, RtpHeader.payloadType(buf));
        assertEquals(42, RtpHeader.ssrc(buf));
        int seq = RtpHeader.sequence(buf);
        if (lastSeq >= 0) {
          assertEquals((lastSeq + 1) & 0xffff, seq);
        }
        lastSeq = seq;
        long ts = RtpHeader.timestamp(buf);
        if (i == 0 && lastTs >= 0) {
          assertEquals((lastTs + 3000) & 0xffffffffL, ts, "90 kHz at 30 frames/s");
        }
        lastTs = ts;
        assertTrue(Arrays.equals(MARKER, Arrays.copyOfRange(buf, 12, 12 + MARKER.length)));
      }
    }
    assertTrue(keyFramePackets >= 13, "a 15 KB key frame spans " + keyFramePackets + " packets");
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void audioIsOneOpusSizedPacketPer20Milliseconds(SrtpProfile profile) {
    SyntheticMedia audio = new SyntheticMedia(MediaKind.AUDIO, 7, MARKER, profile.tagLength(), 1);
    byte[] buf = new byte[1500];
    long lastTs = -1;
    for (int i = 0; i < 50; i++) {
      int[] sizes = audio.nextFrame();
      assertEquals(1, sizes.length);
      assertTrue(sizes[0] >= 80 && sizes[0] <= 160, "payload " + sizes[0]);
      audio.writePacket(buf, sizes[0], true);
      assertEquals(111, RtpHeader.payloadType(buf));
      long ts = RtpHeader.timestamp(buf);
      if (lastTs >= 0) {
        assertEquals((lastTs + 960) & 0xffffffffL, ts, "48 kHz, 20 ms");
      }
      lastTs = ts;
    }
  }
}
