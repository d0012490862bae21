package org.tafel.protocol.stun;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hot-path TURN re-framing in place, without allocation (RFC 8656 §11 Data indications, §12
 * ChannelData) and stream framing over TCP/TLS (RFC 8656 §12.5).
 */
public final class TurnFraming {
  /** Size of the ChannelData header: channel number and length. */
  public static final int CHANNEL_DATA_HEADER = 4;

  /** Room to leave before a payload for the largest Data indication header (IPv6 peer). */
  public static final int DATA_INDICATION_HEADROOM = 48;

  /** Header in front of the payload of a Data indication for an IPv4 peer. */
  public static final int DATA_INDICATION_HEADER_IPV4 = 20 + 12 + 4;

  /** Header in front of the payload of a Data indication for an IPv6 peer. */
  public static final int DATA_INDICATION_HEADER_IPV6 = 20 + 24 + 4;

  public static final int MIN_CHANNEL = 0x4000;
  public static final int MAX_CHANNEL = 0x4FFF;

  private static final int DATA_INDICATION_TYPE = 0x0017;

  private TurnFraming() {}

  /** Whether {@code ch} is a channel number a client may bind (0x4000..0x4FFF, RFC 8656 §12). */
  public static boolean isChannelNumber(int ch) {
    return ch >= MIN_CHANNEL && ch <= MAX_CHANNEL;
  }

  /**
   * Turns the readable bytes into a ChannelData message by writing the 4-byte header in front of
   * them and moving the reader index back. No padding is added (see {@link #padTo4}).
   *
   * @throws IllegalArgumentException if the reader index is below 4
   */
  public static void prependChannelDataHeader(ByteBuf payload, int channel) {
    int len = payload.readableBytes();
    int ri = payload.readerIndex() - CHANNEL_DATA_HEADER;
    if (ri < 0) {
      throw new IllegalArgumentException(
          "headroom: " + payload.readerIndex() + " (expected: >= " + CHANNEL_DATA_HEADER + ")");
    }
    payload.setShort(ri, channel);
    payload.setShort(ri + 2, len);
    payload.readerIndex(ri);
  }

  /** Appends zeros so that the readable bytes are a multiple of 4 (ChannelData over streams). */
  public static void padTo4(ByteBuf buf) {
    int pad = (-buf.readableBytes()) & 3;
    if (pad != 0) {
      buf.writeZero(pad);
    }
  }

  /**
   * Turns the readable bytes into a Data indication from an IPv4 peer, writing the header (random
   * transaction id, XOR-PEER-ADDRESS, DATA) in front and the DATA padding after.
   *
   * @param peerIpv4 the peer's address as a big-endian int
   * @throws IllegalArgumentException if the reader index is below {@link
   *     #DATA_INDICATION_HEADER_IPV4}
   */
  public static void prependDataIndication(ByteBuf payload, int peerIpv4, int peerPort) {
    int ri = beginDataIndication(payload, DATA_INDICATION_HEADER_IPV4, 8);
    int p = ri + 20;
    payload.setShort(p, StunAttribute.XOR_PEER_ADDRESS);
    payload.setShort(p + 2, 8);
    payload.setShort(p + 4, StunMessage.FAMILY_IPV4);
    payload.setShort(p + 6, peerPort ^ (StunMessage.MAGIC_COOKIE >>> 16));
    payload.setInt(p + 8, peerIpv4 ^ StunMessage.MAGIC_COOKIE);
  }

  /**
   * Turns the readable bytes into a Data indication from an IPv6 peer; see {@link
   * #prependDataIndication(ByteBuf, int, int)}.
   *
   * @param peerIpv6 the peer's 16-byte address
   */
  public static void prependDataIndication(ByteBuf payload, byte[] peerIpv6, int peerPort) {
    if (peerIpv6.length != 16) {
      throw new IllegalArgumentException(
          "IPv6 address: " + peerIpv6.length + " bytes (expected: 16)");
    }
    int ri = beginDataIndication(payload, DATA_INDICATION_HEADER_IPV6, 20);
    int p = ri + 20;
    payload.setShort(p, StunAttribute.XOR_PEER_ADDRESS);
    payload.setShort(p + 2, 20);
    payload.setShort(p + 4, StunMessage.FAMILY_IPV6);
    payload.setShort(p + 6, peerPort ^ (StunMessage.MAGIC_COOKIE >>> 16));
    for (int k = 0; k < 16; k++) {
      int mask =
          k < 4 ? StunMessage.MAGIC_COOKIE >>> (24 - 8 * k) : payload.getByte(ri + 8 + k - 4);
      payload.setByte(p + 8 + k, peerIpv6[k] ^ mask);
    }
  }

  /** Writes header, transaction id, DATA attribute header and padding; returns the new start. */
  private static int beginDataIndication(ByteBuf payload, int headerLength, int addressLength) {
    int dataLength = payload.readableBytes();
    int ri = payload.readerIndex() - headerLength;
    if (ri < 0) {
      throw new IllegalArgumentException(
          "headroom: " + payload.readerIndex() + " (expected: >= " + headerLength + ")");
    }
    if (dataLength > 0xFFFF - headerLength) {
      throw new IllegalArgumentException("payload: " + dataLength + " bytes (too large)");
    }
    padTo4(payload);
    int padded = payload.readableBytes();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    payload.setShort(ri, DATA_INDICATION_TYPE);
    payload.setShort(ri + 2, headerLength - StunMessage.HEADER_LENGTH + padded);
    payload.setInt(ri + 4, StunMessage.MAGIC_COOKIE);
    payload.setInt(ri + 8, random.nextInt());
    payload.setLong(ri + 12, random.nextLong());
    int dataHeader = ri + 20 + 4 + addressLength;
    payload.setShort(dataHeader, StunAttribute.DATA);
    payload.setShort(dataHeader + 2, dataLength);
    payload.readerIndex(ri);
    return ri;
  }

  /**
   * The size of the next STUN or ChannelData frame in a byte stream (RFC 8656 §12.5).
   *
   * @param index where the frame starts; at least 4 bytes must be readable there
   * @param stream whether ChannelData is padded to 4 bytes (TCP/TLS) or not (UDP)
   * @return 20 + length for STUN, 4 + length (rounded up to 4 when {@code stream}) for ChannelData,
   *     or -1 if the first two bits are neither 00 nor 01
   */
  public static int frameLength(ByteBuf buf, int index, boolean stream) {
    int first = buf.getUnsignedByte(index) >>> 6;
    int length = buf.getUnsignedShort(index + 2);
    if (first == 0) {
      return StunMessage.HEADER_LENGTH + length;
    }
    if (first == 1) {
      int total = CHANNEL_DATA_HEADER + length;
      return stream ? (total + 3) & ~3 : total;
    }
    return -1;
  }
}
