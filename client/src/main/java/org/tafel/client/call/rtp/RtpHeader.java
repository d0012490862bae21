package org.tafel.client.call.rtp;

/** The fixed 12-byte RTP header (RFC 3550 §5.1), written and read in place. */
public final class RtpHeader {
  public static final int LENGTH = 12;

  private RtpHeader() {}

  public static void write(
      byte[] b, boolean marker, int payloadType, int seq, long timestamp, int ssrc) {
    b[0] = (byte) 0x80;
    b[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7f));
    b[2] = (byte) (seq >> 8);
    b[3] = (byte) seq;
    b[4] = (byte) (timestamp >> 24);
    b[5] = (byte) (timestamp >> 16);
    b[6] = (byte) (timestamp >> 8);
    b[7] = (byte) timestamp;
    b[8] = (byte) (ssrc >> 24);
    b[9] = (byte) (ssrc >> 16);
    b[10] = (byte) (ssrc >> 8);
    b[11] = (byte) ssrc;
  }

  public static int payloadType(byte[] b) {
    return b[1] & 0x7f;
  }

  public static boolean marker(byte[] b) {
    return (b[1] & 0x80) != 0;
  }

  public static int sequence(byte[] b) {
    return (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  public static long timestamp(byte[] b) {
    return ((long) (b[4] & 0xff) << 24 | (b[5] & 0xff) << 16 | (b[6] & 0xff) << 8 | (b[7] & 0xff));
  }

  public static int ssrc(byte[] b) {
    return (b[8] & 0xff) << 24 | (b[9] & 0xff) << 16 | (b[10] & 0xff) << 8 | (b[11] & 0xff);
  }

  /**
   * RFC 5761 §4 / RFC 7983: an RTP or RTCP packet starts with 128..191; RTCP's packet types
   * 192..223 (SR 200, RR 201, ...) sit where RTP's marker bit and payload type are.
   */
  public static boolean isRtcp(byte[] b, int len) {
    return len >= 8 && (b[0] & 0xc0) == 0x80 && (b[1] & 0xff) >= 192 && (b[1] & 0xff) <= 223;
  }

  public static boolean isRtp(byte[] b, int len) {
    return len >= LENGTH && (b[0] & 0xc0) == 0x80 && !isRtcp(b, len);
  }
}
