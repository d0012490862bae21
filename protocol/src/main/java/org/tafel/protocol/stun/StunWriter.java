package org.tafel.protocol.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * A reusable STUN message encoder writing at the writer index of a {@code ByteBuf} (RFC 8489 §5,
 * §14). The header's length field is kept current after every attribute, so MESSAGE-INTEGRITY and
 * FINGERPRINT are computed over the right bytes. Padding is zeros. Not thread-safe.
 *
 * <pre>{@code
 * int n = writer.begin(out, type, request.buffer(), request.transactionIdIndex())
 *     .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, sender)
 *     .addFingerprint()
 *     .finish();
 * }</pre>
 */
public final class StunWriter {
  private final CRC32 crc = new CRC32();
  private ByteBuf out;
  private int start;

  /** Starts a message copying the 12-byte transaction id from {@code tidSource[tidIndex..]}. */
  public StunWriter begin(ByteBuf out, int messageType, ByteBuf tidSource, int tidIndex) {
    header(out, messageType);
    out.writeBytes(tidSource, tidIndex, StunMessage.TRANSACTION_ID_LENGTH);
    return this;
  }

  /** Starts a message with a fresh random transaction id. */
  public StunWriter beginRandomTransaction(ByteBuf out, int messageType) {
    header(out, messageType);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    out.writeInt(random.nextInt());
    out.writeLong(random.nextLong());
    return this;
  }

  private void header(ByteBuf out, int messageType) {
    if ((messageType & ~0x3FFF) != 0) {
      throw new IllegalArgumentException(
          "message type: 0x" + Integer.toHexString(messageType) + " (expected: 0x0000..0x3FFF)");
    }
    this.out = out;
    this.start = out.writerIndex();
    out.writeShort(messageType);
    out.writeShort(0);
    out.writeInt(StunMessage.MAGIC_COOKIE);
  }

  /** Absolute index of the header of the message being written. */
  public int start() {
    return start;
  }

  /** Absolute index of the transaction id of the message being written. */
  public int transactionIdIndex() {
    return start + 8;
  }

  /** An XOR-*-ADDRESS attribute (RFC 8489 §14.2). */
  public StunWriter addXorAddress(int type, InetSocketAddress a) {
    byte[] ip = addressBytes(a);
    out.writeShort(type);
    out.writeShort(4 + ip.length);
    out.writeByte(0);
    out.writeByte(ip.length == 4 ? StunMessage.FAMILY_IPV4 : StunMessage.FAMILY_IPV6);
    out.writeShort(a.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
    for (int k = 0; k < ip.length; k++) {
      int mask = k < 4 ? StunMessage.MAGIC_COOKIE >>> (24 - 8 * k) : out.getByte(start + 8 + k - 4);
      out.writeByte(ip[k] ^ mask);
    }
    return updateLength();
  }

  /** A plain address attribute such as MAPPED-ADDRESS (RFC 8489 §14.1). */
  public StunWriter addAddress(int type, InetSocketAddress a) {
    byte[] ip = addressBytes(a);
    out.writeShort(type);
    out.writeShort(4 + ip.length);
    out.writeByte(0);
    out.writeByte(ip.length == 4 ? StunMessage.FAMILY_IPV4 : StunMessage.FAMILY_IPV6);
    out.writeShort(a.getPort());
    out.writeBytes(ip);
    return updateLength();
  }

  /** A UTF-8 string attribute (USERNAME, REALM, NONCE, SOFTWARE, ...). */
  public StunWriter addString(int type, String s) {
    out.writeShort(type);
    int lengthIndex = out.writerIndex();
    out.writeShort(0);
    int len = ByteBufUtil.writeUtf8(out, s);
    checkValueLength(len);
    out.setShort(lengthIndex, len);
    return pad(len).updateLength();
  }

  /** A 4-byte value (LIFETIME, PRIORITY, ...). */
  public StunWriter addUint32(int type, int v) {
    out.writeShort(type);
    out.writeShort(4);
    out.writeInt(v);
    return updateLength();
  }

  /** CHANNEL-NUMBER (RFC 8656 §18.1): the channel then 16 reserved zero bits. */
  public StunWriter addChannelNumber(int ch) {
    return addUint32(StunAttribute.CHANNEL_NUMBER, (ch & 0xFFFF) << 16);
  }

  /** REQUESTED-TRANSPORT (RFC 8656 §18.7), e.g. 17 for UDP. */
  public StunWriter addRequestedTransport(int proto) {
    return addUint32(StunAttribute.REQUESTED_TRANSPORT, (proto & 0xFF) << 24);
  }

  /** REQUESTED-ADDRESS-FAMILY or ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.8, §18.11). */
  public StunWriter addAddressFamily(int type, int family) {
    return addUint32(type, (family & 0xFF) << 24);
  }

  /** ERROR-CODE (RFC 8489 §14.8). */
  public StunWriter addErrorCode(StunErrorCode c) {
    return addErrorCode(c.code(), c.reason());
  }

  /** ERROR-CODE (RFC 8489 §14.8) with a code in 300..699 and a UTF-8 reason phrase. */
  public StunWriter addErrorCode(int code, String reason) {
    if (code < 300 || code > 699) {
      throw new IllegalArgumentException("error code: " + code + " (expected: 300..699)");
    }
    out.writeShort(StunAttribute.ERROR_CODE);
    int lengthIndex = out.writerIndex();
    out.writeShort(0);
    out.writeShort(0);
    out.writeByte(code / 100);
    out.writeByte(code % 100);
    int len = 4 + ByteBufUtil.writeUtf8(out, reason);
    checkValueLength(len);
    out.setShort(lengthIndex, len);
    return pad(len).updateLength();
  }

  /** UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): {@code types[0, count)} as 16-bit values. */
  public StunWriter addUnknownAttributes(int[] types, int count) {
    out.writeShort(StunAttribute.UNKNOWN_ATTRIBUTES);
    out.writeShort(2 * count);
    for (int i = 0; i < count; i++) {
      out.writeShort(types[i]);
    }
    return pad(2 * count).updateLength();
  }

  /** An opaque attribute value. */
  public StunWriter addBytes(int type, byte[] v) {
    checkValueLength(v.length);
    out.writeShort(type);
    out.writeShort(v.length);
    out.writeBytes(v);
    return pad(v.length).updateLength();
  }

  /** An opaque attribute value copied from {@code v[index, index+len)}. */
  public StunWriter addBytes(int type, ByteBuf v, int index, int len) {
    checkValueLength(len);
    out.writeShort(type);
    out.writeShort(len);
    out.writeBytes(v, index, len);
    return pad(len).updateLength();
  }

  /** An attribute with no value (DONT-FRAGMENT, USE-CANDIDATE). */
  public StunWriter addEmpty(int type) {
    out.writeShort(type);
    out.writeShort(0);
    return updateLength();
  }

  /** MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 with {@code key} over the message so far. */
  public StunWriter addMessageIntegrity(byte[] key) {
    return addHmac(
        StunAttribute.MESSAGE_INTEGRITY, StunDigests.hmacSha1(key), StunDigests.SHA1_LENGTH);
  }

  /** MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), full 32 bytes. */
  public StunWriter addMessageIntegritySha256(byte[] key) {
    return addHmac(
        StunAttribute.MESSAGE_INTEGRITY_SHA256,
        StunDigests.hmacSha256(key),
        StunDigests.SHA256_LENGTH);
  }

  private StunWriter addHmac(int type, Mac mac, int length) {
    int attrIndex = out.writerIndex();
    StunDigests.update(mac, out, start, attrIndex, attrIndex + 4 + length - start - 20);
    byte[] digest = StunDigests.scratch();
    try {
      mac.doFinal(digest, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    out.writeShort(type);
    out.writeShort(length);
    out.writeBytes(digest, 0, length);
    return updateLength();
  }

  /** FINGERPRINT (RFC 8489 §14.7); must be the last attribute. */
  public StunWriter addFingerprint() {
    int attrIndex = out.writerIndex();
    int value = StunDigests.fingerprint(crc, out, start, attrIndex, attrIndex + 8 - start - 20);
    out.writeShort(StunAttribute.FINGERPRINT);
    out.writeShort(4);
    out.writeInt(value);
    return updateLength();
  }

  /** Fixes the length field and returns the total size of the message in bytes. */
  public int finish() {
    updateLength();
    int total = out.writerIndex() - start;
    out = null;
    return total;
  }

  private StunWriter pad(int len) {
    int pad = (-len) & 3;
    if (pad != 0) {
      out.writeZero(pad);
    }
    return this;
  }

  private StunWriter updateLength() {
    int body = out.writerIndex() - start - StunMessage.HEADER_LENGTH;
    if (body > 0xFFFF) {
      throw new IllegalStateException("message body: " + body + " bytes (expected: <= 65535)");
    }
    out.setShort(start + 2, body);
    return this;
  }

  private static void checkValueLength(int len) {
    if (len > 0xFFFF) {
      throw new IllegalArgumentException("attribute value: " + len + " bytes (expected: <= 65535)");
    }
  }

  private static byte[] addressBytes(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    if (ip == null) {
      throw new IllegalArgumentException("address: " + a + " (expected: resolved)");
    }
    byte[] bytes = ip.getAddress();
    if (!(ip instanceof Inet4Address) && bytes.length != 16) {
      throw new IllegalArgumentException("address: " + a + " (expected: IPv4 or IPv6)");
    }
    return bytes;
  }
}
