package org.tafel.client.call.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * An RTCP Sender Report (PT 200) or Receiver Report (PT 201) with its report blocks (RFC 3550
 * §6.4). {@code ntpTimestamp} and the sender info are present only in a Sender Report.
 */
public record RtcpReport(
    int ssrc,
    boolean senderReport,
    long ntpTimestamp,
    long rtpTimestamp,
    long packetCount,
    long octetCount,
    List<Block> blocks) {
  public static final int SR = 200;
  public static final int RR = 201;

  /**
   * A report block about source {@code ssrc}: fraction lost (0..255 of 256), cumulative lost,
   * extended highest sequence, interarrival jitter (RTP units), LSR and DLSR (1/65536 s).
   */
  public record Block(
      int ssrc,
      int fractionLost,
      int cumulativeLost,
      long extendedHighestSequence,
      long jitter,
      long lastSr,
      long delaySinceLastSr) {}

  public RtcpReport {
    if (blocks.size() > 31) {
      throw new IllegalArgumentException("report blocks: " + blocks.size() + " (expected: <= 31)");
    }
    blocks = List.copyOf(blocks);
  }

  /** Bytes {@link #write} needs. */
  public int length() {
    return 8 + (senderReport ? 20 : 0) + 24 * blocks.size();
  }

  /** Writes the report at {@code b[0..)}; returns its length. */
  public int write(byte[] b) {
    int len = length();
    b[0] = (byte) (0x80 | blocks.size());
    b[1] = (byte) (senderReport ? SR : RR);
    int words = len / 4 - 1;
    b[2] = (byte) (words >> 8);
    b[3] = (byte) words;
    int o = 4;
    o = put32(b, o, ssrc);
    if (senderReport) {
      o = put32(b, o, (int) (ntpTimestamp >>> 32));
      o = put32(b, o, (int) ntpTimestamp);
      o = put32(b, o, (int) rtpTimestamp);
      o = put32(b, o, (int) packetCount);
      o = put32(b, o, (int) octetCount);
    }
    for (Block k : blocks) {
      o = put32(b, o, k.ssrc());
      int lost = Math.max(-0x800000, Math.min(0x7fffff, k.cumulativeLost()));
      o = put32(b, o, (k.fractionLost() & 0xff) << 24 | (lost & 0xffffff));
      o = put32(b, o, (int) k.extendedHighestSequence());
      o = put32(b, o, (int) k.jitter());
      o = put32(b, o, (int) k.lastSr());
      o = put32(b, o, (int) k.delaySinceLastSr());
    }
    return o;
  }

  /** Parses the first SR or RR of a (compound) RTCP packet; null if it is neither or malformed. */
  public static RtcpReport parse(byte[] b, int len) {
    if (len < 8 || (b[0] & 0xc0) != 0x80) {
      return null;
    }
    int pt = b[1] & 0xff;
    if (pt != SR && pt != RR) {
      return null;
    }
    int count = b[0] & 0x1f;
    int declared = ((b[2] & 0xff) << 8 | (b[3] & 0xff)) * 4 + 4;
    boolean sr = pt == SR;
    int needed = 8 + (sr ? 20 : 0) + 24 * count;
    if (declared > len || needed > declared) {
      return null;
    }
    int o = 4;
    int ssrc = get32(b, o);
    o += 4;
    long ntp = 0;
    long rtp = 0;
    long packets = 0;
    long octets = 0;
    if (sr) {
      ntp = (get32(b, o) & 0xffffffffL) << 32 | (get32(b, o + 4) & 0xffffffffL);
      rtp = get32(b, o + 8) & 0xffffffffL;
      packets = get32(b, o + 12) & 0xffffffffL;
      octets = get32(b, o + 16) & 0xffffffffL;
      o += 20;
    }
    List<Block> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++, o += 24) {
      int lostWord = get32(b, o + 4);
      int cumulative = (lostWord << 8) >> 8;
      blocks.add(
          new Block(
              get32(b, o),
              (lostWord >>> 24) & 0xff,
              cumulative,
              get32(b, o + 8) & 0xffffffffL,
              get32(b, o + 12) & 0xffffffffL,
              get32(b, o + 16) & 0xffffffffL,
              get32(b, o + 20) & 0xffffffffL));
    }
    return new RtcpReport(ssrc, sr, ntp, rtp, packets, octets, blocks);
  }

  /** The middle 32 bits of a 64-bit NTP timestamp, as LSR carries it. */
  public static long middle32(long ntp) {
    return (ntp >>> 16) & 0xffffffffL;
  }

  private static int put32(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 24);
    b[o + 1] = (byte) (v >>> 16);
    b[o + 2] = (byte) (v >>> 8);
    b[o + 3] = (byte) v;
    return o + 4;
  }

  private static int get32(byte[] b, int o) {
    return (b[o] & 0xff) << 24
        | (b[o + 1] & 0xff) << 16
        | (b[o + 2] & 0xff) << 8
        | (b[o + 3] & 0xff);
  }
}
