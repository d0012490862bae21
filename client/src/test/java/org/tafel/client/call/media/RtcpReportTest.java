package org.tafel.client.call.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tafel.client.call.rtp.RtcpReport;

class RtcpReportTest {

  @Test
  void writesAndParsesASenderReportWithTwoBlocks() {
    RtcpReport r =
        new RtcpReport(
            0xcafebabe,
            true,
            0xe5a1b2c3d4e5f607L,
            123456,
            50,
            6000,
            List.of(
                new RtcpReport.Block(1, 25, -3, 70_000, 12, 0xb2c3d4e5L, 65536),
                new RtcpReport.Block(2, 0, 0, 5, 0, 0, 0)));
    byte[] b = new byte[r.length()];
    assertEquals(8 + 20 + 48, r.write(b));
    assertEquals((byte) 0x82, b[0]);
    assertEquals((byte) 200, b[1]);
    assertEquals(r.length() / 4 - 1, b[3]);
    assertEquals(r, RtcpReport.parse(b, b.length));
    // Low 16 bits of the seconds, high 16 bits of the fraction (RFC 3550 §4).
    assertEquals(0xb2c3d4e5L, RtcpReport.middle32(0xe5a1b2c3d4e5f607L));
  }

  @Test
  void refusesReportsWhoseLengthOrTypeIsWrong() {
    RtcpReport rr =
        new RtcpReport(7, false, 0, 0, 0, 0, List.of(new RtcpReport.Block(1, 0, 0, 1, 0, 0, 0)));
    byte[] b = new byte[rr.length()];
    rr.write(b);
    assertEquals(rr, RtcpReport.parse(b, b.length));
    assertNull(RtcpReport.parse(b, b.length - 1));
    b[1] = (byte) 202;
    assertNull(RtcpReport.parse(b, b.length));
  }
}
