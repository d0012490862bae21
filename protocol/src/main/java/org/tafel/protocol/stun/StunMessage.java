package org.tafel.protocol.stun;

import static org.tafel.protocol.stun.StunParseException.Reason.ATTRIBUTE_OVERRUN;
import static org.tafel.protocol.stun.StunParseException.Reason.BAD_ATTRIBUTE_VALUE;
import static org.tafel.protocol.stun.StunParseException.Reason.BAD_FINGERPRINT;
import static org.tafel.protocol.stun.StunParseException.Reason.BAD_LENGTH;
import static org.tafel.protocol.stun.StunParseException.Reason.BAD_MAGIC_COOKIE;
import static org.tafel.protocol.stun.StunParseException.Reason.NOT_STUN;
import static org.tafel.protocol.stun.StunParseException.Reason.TOO_MANY_ATTRIBUTES;
import static org.tafel.protocol.stun.StunParseException.Reason.TOO_SHORT;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.crypto.Mac;

/**
 * A reusable, zero-allocation view of one STUN message inside a {@code ByteBuf} (RFC 8489 §5, §14).
 *
 * <p>{@link #parse(ByteBuf)} validates the framing and indexes the attributes without copying and
 * without moving the buffer's indices; the accessors then read straight from the buffer. The view
 * is valid until the next {@code parse} or until the buffer is released. Not thread-safe: use one
 * instance per thread.
 *
 * <p>Attribute ordering (RFC 8489 §14.5–§14.7): after MESSAGE-INTEGRITY only
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are considered, after MESSAGE-INTEGRITY-SHA256 only
 * FINGERPRINT, and nothing after FINGERPRINT. Ignored attributes are not indexed.
 */
public final class StunMessage {
  public static final int MAGIC_COOKIE = 0x2112A442;
  public static final int HEADER_LENGTH = 20;
  public static final int TRANSACTION_ID_LENGTH = 12;

  /** More attributes than this in one message is refused as {@code TOO_MANY_ATTRIBUTES}. */
  public static final int MAX_ATTRIBUTES = 64;

  public static final int FAMILY_IPV4 = 0x01;
  public static final int FAMILY_IPV6 = 0x02;

  private final int[] types = new int[MAX_ATTRIBUTES];
  private final int[] valueIndexes = new int[MAX_ATTRIBUTES];
  private final int[] lengths = new int[MAX_ATTRIBUTES];
  private final CRC32 crc = new CRC32();

  private ByteBuf buf;
  private int start;
  private int messageType;
  private int bodyLength;
  private int count;
  private int integrityIndex = -1;
  private int integritySha256Index = -1;
  private int fingerprintIndex = -1;

  /**
   * Parses the message that occupies exactly the readable bytes of {@code buf}.
   *
   * @throws StunParseException if the bytes are not one well-formed STUN message; the view is then
   *     empty
   */
  public void parse(ByteBuf buf) throws StunParseException {
    this.buf = null;
    count = 0;
    integrityIndex = -1;
    integritySha256Index = -1;
    fingerprintIndex = -1;

    int start = buf.readerIndex();
    int readable = buf.readableBytes();
    if (readable < HEADER_LENGTH) {
      throw StunParseException.of(TOO_SHORT);
    }
    int type = buf.getUnsignedShort(start);
    if ((type & 0xC000) != 0) {
      throw StunParseException.of(NOT_STUN);
    }
    if (buf.getInt(start + 4) != MAGIC_COOKIE) {
      throw StunParseException.of(BAD_MAGIC_COOKIE);
    }
    int length = buf.getUnsignedShort(start + 2);
    if ((length & 3) != 0 || length != readable - HEADER_LENGTH) {
      throw StunParseException.of(BAD_LENGTH);
    }

    int end = start + HEADER_LENGTH + length;
    int pos = start + HEADER_LENGTH;
    int seen = 0;
    // 0: any attribute; 1: after MESSAGE-INTEGRITY; 2: after MESSAGE-INTEGRITY-SHA256; 3: after
    // FINGERPRINT.
    int phase = 0;
    while (pos < end) {
      if (end - pos < 4) {
        throw StunParseException.of(ATTRIBUTE_OVERRUN);
      }
      if (++seen > MAX_ATTRIBUTES) {
        throw StunParseException.of(TOO_MANY_ATTRIBUTES);
      }
      int attrType = buf.getUnsignedShort(pos);
      int attrLength = buf.getUnsignedShort(pos + 2);
      int valueIndex = pos + 4;
      int next = valueIndex + ((attrLength + 3) & ~3);
      if (next > end) {
        throw StunParseException.of(ATTRIBUTE_OVERRUN);
      }
      boolean considered;
      switch (phase) {
        case 0:
          considered = true;
          break;
        case 1:
          considered =
              attrType == StunAttribute.MESSAGE_INTEGRITY_SHA256
                  || attrType == StunAttribute.FINGERPRINT;
          break;
        case 2:
          considered = attrType == StunAttribute.FINGERPRINT;
          break;
        default:
          considered = false;
      }
      if (considered) {
        if (attrType == StunAttribute.MESSAGE_INTEGRITY) {
          if (attrLength != StunDigests.SHA1_LENGTH) {
            throw StunParseException.of(BAD_ATTRIBUTE_VALUE);
          }
          integrityIndex = count;
          phase = 1;
        } else if (attrType == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
          if (attrLength < 16 || attrLength > 32 || (attrLength & 3) != 0) {
            throw StunParseException.of(BAD_ATTRIBUTE_VALUE);
          }
          integritySha256Index = count;
          phase = 2;
        } else if (attrType == StunAttribute.FINGERPRINT) {
          if (attrLength != 4) {
            throw StunParseException.of(BAD_FINGERPRINT);
          }
          fingerprintIndex = count;
          phase = 3;
        }
        types[count] = attrType;
        valueIndexes[count] = valueIndex;
        lengths[count] = attrLength;
        count++;
      }
      pos = next;
    }

    this.buf = buf;
    this.start = start;
    this.messageType = type;
    this.bodyLength = length;
    if (fingerprintIndex >= 0 && !verifyFingerprint()) {
      this.buf = null;
      count = 0;
      throw StunParseException.of(BAD_FINGERPRINT);
    }
  }

  /** The buffer of the last successful parse. */
  public ByteBuf buffer() {
    return buf;
  }

  /** Absolute index of the first header byte. */
  public int start() {
    return start;
  }

  public int messageType() {
    return messageType;
  }

  public int method() {
    return StunMethod.methodOf(messageType);
  }

  public StunClass stunClass() {
    return StunMethod.classOf(messageType);
  }

  /** The header's length field: message size without the 20-byte header. */
  public int bodyLength() {
    return bodyLength;
  }

  /** Total size of the message in bytes. */
  public int messageLength() {
    return HEADER_LENGTH + bodyLength;
  }

  /** Absolute index of the 12-byte transaction id. */
  public int transactionIdIndex() {
    return start + 8;
  }

  /** Whether {@code other[otherIndex, otherIndex+12)} equals this message's transaction id. */
  public boolean sameTransactionId(ByteBuf other, int otherIndex) {
    int tid = start + 8;
    return buf.getLong(tid) == other.getLong(otherIndex)
        && buf.getInt(tid + 8) == other.getInt(otherIndex + 8);
  }

  /** Number of considered attributes (see the class comment for the ordering rules). */
  public int attributeCount() {
    return count;
  }

  public int attributeType(int i) {
    checkIndex(i);
    return types[i];
  }

  /** Absolute index of attribute {@code i}'s value. */
  public int attributeValueIndex(int i) {
    checkIndex(i);
    return valueIndexes[i];
  }

  /** Unpadded length of attribute {@code i}'s value. */
  public int attributeLength(int i) {
    checkIndex(i);
    return lengths[i];
  }

  /** Index of the first considered attribute of {@code type}, or -1. */
  public int find(int type) {
    for (int i = 0; i < count; i++) {
      if (types[i] == type) {
        return i;
      }
    }
    return -1;
  }

  public boolean hasFingerprint() {
    return fingerprintIndex >= 0;
  }

  /** Attribute index of MESSAGE-INTEGRITY (HMAC-SHA1), or -1. */
  public int integrityAttributeIndex() {
    return integrityIndex;
  }

  /** Attribute index of MESSAGE-INTEGRITY-SHA256, or -1. */
  public int integritySha256AttributeIndex() {
    return integritySha256Index;
  }

  /** Attribute index of FINGERPRINT, or -1. */
  public int fingerprintAttributeIndex() {
    return fingerprintIndex;
  }

  /**
   * Index of the first considered comprehension-required attribute whose type is not in {@code
   * known}, or -1 (for a 420 response, RFC 8489 §6.3.1).
   */
  public int findUnknownComprehensionRequired(int[] known) {
    return findUnknownComprehensionRequired(known, 0);
  }

  /** As {@link #findUnknownComprehensionRequired(int[])}, from attribute index {@code from} on. */
  public int findUnknownComprehensionRequired(int[] known, int from) {
    outer:
    for (int i = from; i < count; i++) {
      int t = types[i];
      if (!StunAttribute.isComprehensionRequired(t)) {
        continue;
      }
      for (int k : known) {
        if (k == t) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---- typed readers ----

  /** UTF-8 value of attribute {@code i}, at most {@code maxBytes} long. */
  public String readString(int i, int maxBytes) throws StunParseException {
    int len = attributeLength(i);
    if (len > maxBytes) {
      throw badValue(i, "length " + len + " (expected: <= " + maxBytes + ")");
    }
    return buf.toString(valueIndexes[i], len, StandardCharsets.UTF_8);
  }

  /** The raw value of attribute {@code i}, copied. */
  public byte[] readBytes(int i) {
    byte[] out = new byte[attributeLength(i)];
    buf.getBytes(valueIndexes[i], out);
    return out;
  }

  /** A 4-byte unsigned value (LIFETIME, PRIORITY, ...) as an int; use {@code toUnsignedLong}. */
  public int readUint32(int i) throws StunParseException {
    requireLength(i, 4);
    return buf.getInt(valueIndexes[i]);
  }

  /** CHANNEL-NUMBER (RFC 8656 §18.1): the upper 16 bits of a 4-byte value. */
  public int readChannelNumber(int i) throws StunParseException {
    requireLength(i, 4);
    return buf.getUnsignedShort(valueIndexes[i]);
  }

  /** REQUESTED-TRANSPORT (RFC 8656 §18.7): the protocol number in the first of 4 bytes. */
  public int readRequestedTransport(int i) throws StunParseException {
    requireLength(i, 4);
    return buf.getUnsignedByte(valueIndexes[i]);
  }

  /**
   * REQUESTED-ADDRESS-FAMILY / ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.8, §18.11; RFC 6156 §4.1.1):
   * the family in the first of 4 bytes, followed by 3 reserved bytes; {@link #FAMILY_IPV4} or
   * {@link #FAMILY_IPV6} (other values are returned as they are, for a 440 response).
   */
  public int readAddressFamily(int i) throws StunParseException {
    requireLength(i, 4);
    return buf.getUnsignedByte(valueIndexes[i]);
  }

  /** EVEN-PORT (RFC 8656 §18.6): the R bit of its 1-byte value. */
  public boolean readEvenPortReserve(int i) throws StunParseException {
    requireLength(i, 1);
    return (buf.getByte(valueIndexes[i]) & 0x80) != 0;
  }

  /** ERROR-CODE (RFC 8489 §14.8): class * 100 + number, in 300..699. */
  public int readErrorCode(int i) throws StunParseException {
    int len = attributeLength(i);
    if (len < 4 || len > 4 + 763) {
      throw badValue(i, "length " + len + " (expected: 4..767)");
    }
    int idx = valueIndexes[i];
    int cls = buf.getUnsignedByte(idx + 2) & 0x07;
    int number = buf.getUnsignedByte(idx + 3);
    if (cls < 3 || cls > 6 || number > 99) {
      throw badValue(i, "class " + cls + " number " + number + " (expected: 3..6, 0..99)");
    }
    return cls * 100 + number;
  }

  /** The UTF-8 reason phrase of an ERROR-CODE attribute. */
  public String readErrorReason(int i) throws StunParseException {
    readErrorCode(i);
    return buf.toString(valueIndexes[i] + 4, lengths[i] - 4, StandardCharsets.UTF_8);
  }

  /** An XOR-*-ADDRESS attribute (RFC 8489 §14.2), IPv4 or IPv6. */
  public InetSocketAddress readXorAddress(int i) throws StunParseException {
    int family = readXorFamily(i);
    int idx = valueIndexes[i];
    int port = buf.getUnsignedShort(idx + 2) ^ (MAGIC_COOKIE >>> 16);
    byte[] ip = new byte[family == FAMILY_IPV4 ? 4 : 16];
    for (int k = 0; k < ip.length; k++) {
      ip[k] = (byte) (buf.getByte(idx + 4 + k) ^ xorMaskByte(k));
    }
    return new InetSocketAddress(toInetAddress(ip), port);
  }

  /**
   * The family of an XOR-*-ADDRESS attribute, {@link #FAMILY_IPV4} (length 8) or {@link
   * #FAMILY_IPV6} (length 20). Allocates nothing.
   */
  public int readXorFamily(int i) throws StunParseException {
    return addressFamily(i);
  }

  /** The port of an XOR-*-ADDRESS attribute. Allocates nothing. */
  public int readXorPort(int i) throws StunParseException {
    addressFamily(i);
    return buf.getUnsignedShort(valueIndexes[i] + 2) ^ (MAGIC_COOKIE >>> 16);
  }

  /** The IPv4 address of an XOR-*-ADDRESS attribute as a big-endian int. Allocates nothing. */
  public int readXorIpv4(int i) throws StunParseException {
    if (addressFamily(i) != FAMILY_IPV4) {
      throw StunParseException.of(BAD_ATTRIBUTE_VALUE);
    }
    return buf.getInt(valueIndexes[i] + 4) ^ MAGIC_COOKIE;
  }

  /** Writes the IPv6 address of an XOR-*-ADDRESS attribute into {@code dst[0..16)}. */
  public void readXorIpv6(int i, byte[] dst) throws StunParseException {
    if (addressFamily(i) != FAMILY_IPV6) {
      throw StunParseException.of(BAD_ATTRIBUTE_VALUE);
    }
    int idx = valueIndexes[i] + 4;
    for (int k = 0; k < 16; k++) {
      dst[k] = (byte) (buf.getByte(idx + k) ^ xorMaskByte(k));
    }
  }

  /** A plain (non-XOR) address attribute such as MAPPED-ADDRESS (RFC 8489 §14.1). */
  public InetSocketAddress readAddress(int i) throws StunParseException {
    int family = addressFamily(i);
    int idx = valueIndexes[i];
    byte[] ip = new byte[family == FAMILY_IPV4 ? 4 : 16];
    buf.getBytes(idx + 4, ip);
    return new InetSocketAddress(toInetAddress(ip), buf.getUnsignedShort(idx + 2));
  }

  // ---- integrity ----

  /**
   * Verifies MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) over the bytes as received.
   *
   * @return false if there is no MESSAGE-INTEGRITY or it does not match
   */
  public boolean verifyMessageIntegrity(byte[] key) {
    if (buf == null || integrityIndex < 0) {
      return false;
    }
    return verifyHmac(StunDigests.hmacSha1(key), integrityIndex);
  }

  /**
   * Verifies MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), possibly truncated to 16..32 bytes.
   *
   * @return false if there is no MESSAGE-INTEGRITY-SHA256 or it does not match
   */
  public boolean verifyMessageIntegritySha256(byte[] key) {
    if (buf == null || integritySha256Index < 0) {
      return false;
    }
    return verifyHmac(StunDigests.hmacSha256(key), integritySha256Index);
  }

  /** Verifies FINGERPRINT (RFC 8489 §14.7); false if absent. Allocates nothing. */
  public boolean verifyFingerprint() {
    if (buf == null || fingerprintIndex < 0) {
      return false;
    }
    int value = valueIndexes[fingerprintIndex];
    int attrEnd = value + 4;
    int expected =
        StunDigests.fingerprint(crc, buf, start, value - 4, attrEnd - start - HEADER_LENGTH);
    return expected == buf.getInt(value);
  }

  private boolean verifyHmac(Mac mac, int attr) {
    int value = valueIndexes[attr];
    int len = lengths[attr];
    int attrEnd = value + len;
    StunDigests.update(mac, buf, start, value - 4, attrEnd - start - HEADER_LENGTH);
    byte[] out = StunDigests.scratch();
    try {
      mac.doFinal(out, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    return StunDigests.constantTimeEquals(out, buf, value, len);
  }

  // ---- helpers ----

  private int xorMaskByte(int k) {
    // Bytes 0..3: magic cookie; 4..15: transaction id.
    if (k < 4) {
      return MAGIC_COOKIE >>> (24 - 8 * k);
    }
    return buf.getByte(start + 8 + k - 4);
  }

  private int addressFamily(int i) throws StunParseException {
    int len = attributeLength(i);
    int family = len >= 2 ? buf.getUnsignedByte(valueIndexes[i] + 1) : -1;
    if (family == FAMILY_IPV4 && len == 8) {
      return FAMILY_IPV4;
    }
    if (family == FAMILY_IPV6 && len == 20) {
      return FAMILY_IPV6;
    }
    throw StunParseException.of(BAD_ATTRIBUTE_VALUE);
  }

  private void requireLength(int i, int expected) throws StunParseException {
    int len = attributeLength(i);
    if (len != expected) {
      throw badValue(i, "length " + len + " (expected: " + expected + ")");
    }
  }

  private StunParseException badValue(int i, String detail) {
    return new StunParseException(BAD_ATTRIBUTE_VALUE, StunAttribute.name(types[i]) + " " + detail);
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(
          "attribute: " + i + " (expected: 0.." + (count - 1) + ")");
    }
  }

  private static InetAddress toInetAddress(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  @Override
  public String toString() {
    if (buf == null) {
      return "StunMessage(empty)";
    }
    StringBuilder sb =
        new StringBuilder("StunMessage(")
            .append(StunMethod.name(method()))
            .append(' ')
            .append(stunClass())
            .append(", ")
            .append(messageLength())
            .append(" bytes");
    for (int i = 0; i < count; i++) {
      sb.append(", ").append(StunAttribute.name(types[i])).append('/').append(lengths[i]);
    }
    return sb.append(')').toString();
  }
}
