package org.tafel.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

@ExtendWith(NettyLeakDetectorExtension.class)
class StunWriterTest {
  private static final byte[] KEY = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

  private final StunWriter writer = new StunWriter();
  private final StunMessage message = new StunMessage();

  @Test
  void writesARequestThatParsesBackWithEveryAttributeAndVerifies() throws Exception {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
    try {
      InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 40000);
      int total =
          writer
              .beginRandomTransaction(
                  out, StunMethod.messageType(StunMethod.ALLOCATE, StunClass.REQUEST))
              .addRequestedTransport(17)
              .addString(StunAttribute.USERNAME, "1735689600:ålice")
              .addString(StunAttribute.REALM, "example.org")
              .addString(StunAttribute.NONCE, "abc")
              .addUint32(StunAttribute.LIFETIME, 600)
              .addChannelNumber(0x4001)
              .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer)
              .addAddressFamily(StunAttribute.REQUESTED_ADDRESS_FAMILY, StunMessage.FAMILY_IPV6)
              .addBytes(StunAttribute.EVEN_PORT, new byte[] {(byte) 0x80})
              .addEmpty(StunAttribute.DONT_FRAGMENT)
              .addMessageIntegrity(KEY)
              .addMessageIntegritySha256(KEY)
              .addFingerprint()
              .finish();
      assertEquals(out.readableBytes(), total);
      assertEquals(0, total % 4);

      message.parse(out);
      assertEquals(StunMethod.ALLOCATE, message.method());
      assertEquals(StunClass.REQUEST, message.stunClass());
      assertEquals(13, message.attributeCount());
      assertEquals(
          17, message.readRequestedTransport(message.find(StunAttribute.REQUESTED_TRANSPORT)));
      assertEquals(
          "1735689600:ålice", message.readString(message.find(StunAttribute.USERNAME), 513));
      assertEquals("abc", message.readString(message.find(StunAttribute.NONCE), 763));
      assertEquals(600, message.readUint32(message.find(StunAttribute.LIFETIME)));
      assertEquals(0x4001, message.readChannelNumber(message.find(StunAttribute.CHANNEL_NUMBER)));
      assertEquals(peer, message.readXorAddress(message.find(StunAttribute.XOR_PEER_ADDRESS)));
      assertEquals(
          StunMessage.FAMILY_IPV6,
          message.readAddressFamily(message.find(StunAttribute.REQUESTED_ADDRESS_FAMILY)));
      assertTrue(message.readEvenPortReserve(message.find(StunAttribute.EVEN_PORT)));
      assertEquals(0, message.attributeLength(message.find(StunAttribute.DONT_FRAGMENT)));
      assertTrue(message.verifyMessageIntegrity(KEY));
      assertTrue(message.verifyMessageIntegritySha256(KEY));
      assertTrue(message.verifyFingerprint());
      assertFalse(message.verifyMessageIntegrity("other".getBytes(StandardCharsets.UTF_8)));
    } finally {
      out.release();
    }
  }

  @Test
  void writesAnErrorResponseEchoingTheRequestTransaction() throws Exception {
    ByteBuf request = Unpooled.buffer();
    ByteBuf response = Unpooled.buffer();
    try {
      writer
          .beginRandomTransaction(
              request, StunMethod.messageType(StunMethod.BINDING, StunClass.REQUEST))
          .addEmpty(0x7FFF)
          .finish();
      message.parse(request);
      int unknown = message.findUnknownComprehensionRequired(new int[] {StunAttribute.USERNAME});
      assertEquals(0, unknown);

      writer
          .begin(
              response,
              StunMethod.messageType(StunMethod.BINDING, StunClass.ERROR_RESPONSE),
              request,
              message.transactionIdIndex())
          .addErrorCode(StunErrorCode.UNKNOWN_ATTRIBUTE)
          .addUnknownAttributes(new int[] {0x7FFF, 0x0031, 0x0000}, 1)
          .addString(StunAttribute.SOFTWARE, "tafel")
          .addFingerprint()
          .finish();

      StunMessage parsed = new StunMessage();
      parsed.parse(response);
      assertTrue(parsed.sameTransactionId(request, request.readerIndex() + 8));
      assertEquals(StunClass.ERROR_RESPONSE, parsed.stunClass());
      int ec = parsed.find(StunAttribute.ERROR_CODE);
      assertEquals(420, parsed.readErrorCode(ec));
      assertEquals("Unknown Attribute", parsed.readErrorReason(ec));
      int ua = parsed.find(StunAttribute.UNKNOWN_ATTRIBUTES);
      assertEquals(2, parsed.attributeLength(ua));
      assertEquals(0x7FFF, response.getUnsignedShort(parsed.attributeValueIndex(ua)));
      assertEquals(0, response.getUnsignedShort(parsed.attributeValueIndex(ua) + 2), "zero pad");
      assertTrue(parsed.verifyFingerprint());
    } finally {
      request.release();
      response.release();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.1",
        "0.0.0.0",
        "255.255.255.255",
        "2001:db8:1234:5678:11:2233:4455:6677",
        "::1",
        "fe80::1"
      })
  void roundTripsXorAndPlainAddresses(String ip) throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      for (int port : new int[] {0, 1, 3478, 32853, 65535}) {
        out.clear();
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(ip), port);
        writer
            .beginRandomTransaction(
                out, StunMethod.messageType(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE))
            .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, a)
            .addAddress(StunAttribute.MAPPED_ADDRESS, a)
            .finish();
        message.parse(out);
        int x = message.find(StunAttribute.XOR_MAPPED_ADDRESS);
        assertEquals(a, message.readXorAddress(x));
        assertEquals(port, message.readXorPort(x));
        assertEquals(a, message.readAddress(message.find(StunAttribute.MAPPED_ADDRESS)));
        if (a.getAddress().getAddress().length == 4) {
          assertEquals(
              java.nio.ByteBuffer.wrap(a.getAddress().getAddress()).getInt(),
              message.readXorIpv4(x));
        }
      }
    } finally {
      out.release();
    }
  }

  @Test
  void xorAddressOnTheWireIsNotThePlainAddress() throws Exception {
    ByteBuf out = Unpooled.buffer();
    ByteBuf tid = Unpooled.wrappedBuffer(Vectors.hex("b7e7a701bc34d686fa87dfae"));
    try {
      InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
      writer.begin(out, 0x0101, tid, 0).addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, a).finish();
      // Same bytes as RFC 5769 §2.2.
      assertEquals("0001a147e112a643", ByteBufUtil.hexDump(out, 24, 8));
    } finally {
      tid.release();
      out.release();
    }
  }

  @Test
  void padsStringsWithZerosAndKeepsTheLengthFieldCurrent() throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.beginRandomTransaction(out, 0x0001).addString(StunAttribute.SOFTWARE, "abcde");
      assertEquals(12, out.getUnsignedShort(2));
      assertEquals("000000", ByteBufUtil.hexDump(out, 20 + 4 + 5, 3));
      assertEquals(32, writer.finish());
    } finally {
      out.release();
    }
  }

  @Test
  void writesAfterExistingBytesInTheBuffer() throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      out.writeInt(0xDEADBEEF);
      int total =
          writer
              .beginRandomTransaction(out, 0x0001)
              .addMessageIntegrity(KEY)
              .addFingerprint()
              .finish();
      out.skipBytes(4);
      assertEquals(total, out.readableBytes());
      message.parse(out);
      assertTrue(message.verifyMessageIntegrity(KEY));
      assertTrue(message.verifyFingerprint());
    } finally {
      out.release();
    }
  }

  @Test
  void randomTransactionIdsDiffer() {
    ByteBuf a = Unpooled.buffer();
    ByteBuf b = Unpooled.buffer();
    try {
      writer.beginRandomTransaction(a, 0x0001).finish();
      writer.beginRandomTransaction(b, 0x0001).finish();
      assertNotEquals(ByteBufUtil.hexDump(a, 8, 12), ByteBufUtil.hexDump(b, 8, 12));
    } finally {
      a.release();
      b.release();
    }
  }

  @Test
  void refusesErrorCodesOutsideTheRfcRange() {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.beginRandomTransaction(out, 0x0111);
      assertThrows(IllegalArgumentException.class, () -> writer.addErrorCode(200, "OK"));
      assertThrows(
          IllegalArgumentException.class, () -> writer.beginRandomTransaction(out, 0x4000));
    } finally {
      out.release();
    }
  }
}
