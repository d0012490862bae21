package org.tafel.protocol.demux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacketKindTest {

  @Test
  void classifiesEveryFirstByteAsRfc7983AndRfc9443() {
    for (int b = 0; b < 256; b++) {
      PacketKind expected;
      if (b <= 3) {
        expected = PacketKind.STUN;
      } else if (b >= 16 && b <= 19) {
        expected = PacketKind.ZRTP;
      } else if (b >= 20 && b <= 63) {
        expected = PacketKind.DTLS;
      } else if (b >= 64 && b <= 79) {
        expected = PacketKind.TURN_CHANNEL;
      } else if (b >= 128 && b <= 191) {
        expected = PacketKind.RTP_RTCP;
      } else {
        expected = PacketKind.UNKNOWN;
      }
      assertEquals(expected, PacketKind.classify(b), "first byte " + b);
    }
  }

  @Test
  void classifiesSignExtendedBytes() {
    assertEquals(PacketKind.RTP_RTCP, PacketKind.classify((byte) 0x80));
    assertEquals(PacketKind.UNKNOWN, PacketKind.classify((byte) 0xFF));
  }
}
