package org.tafel.protocol.demux;

/** What a packet is, judged from its first byte (RFC 7983 §7, RFC 9443 §3). */
public enum PacketKind {
  /** 0..3: STUN (RFC 8489). */
  STUN,
  /** 16..19: ZRTP (RFC 6189). */
  ZRTP,
  /** 20..63: DTLS (RFC 9147). */
  DTLS,
  /** 64..79: TURN ChannelData (RFC 8656 §12). */
  TURN_CHANNEL,
  /** 128..191: RTP or RTCP (RFC 3550). */
  RTP_RTCP,
  /** Anything else, including reserved ranges. */
  UNKNOWN;

  /**
   * Classifies a packet by its first byte.
   *
   * @param firstByte the first byte, 0..255 (higher bits are ignored)
   */
  public static PacketKind classify(int firstByte) {
    int b = firstByte & 0xFF;
    if (b <= 3) {
      return STUN;
    }
    if (b >= 16 && b <= 19) {
      return ZRTP;
    }
    if (b >= 20 && b <= 63) {
      return DTLS;
    }
    if (b >= 64 && b <= 79) {
      return TURN_CHANNEL;
    }
    if (b >= 128 && b <= 191) {
      return RTP_RTCP;
    }
    return UNKNOWN;
  }
}
