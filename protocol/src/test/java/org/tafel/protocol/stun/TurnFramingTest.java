package org.tafel.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tafel.protocol.demux.PacketKind;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

@ExtendWith(NettyLeakDetectorExtension.class)
class TurnFramingTest {
  private final StunMessage message = new StunMessage();

  private static ByteBuf payloadWithHeadroom(int headroom, int length) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(headroom + length + 3);
    buf.writerIndex(headroom);
    for (int i = 0; i < length; i++) {
      buf.writeByte(i * 7);
    }
    buf.readerIndex(headroom);
    return buf;
  }

  @Test
  void acceptsOnlyChannelNumbersInTheClientRange() {
    assertFalse(TurnFraming.isChannelNumber(0x3FFF));
    assertTrue(TurnFraming.isChannelNumber(0x4000));
    assertTrue(TurnFraming.isChannelNumber(0x4FFF));
    assertFalse(TurnFraming.isChannelNumber(0x5000));
    assertFalse(TurnFraming.isChannelNumber(-1));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 5, 1200})
  void prependsChannelDataHeaderInPlace(int length) {
    ByteBuf buf = payloadWithHeadroom(TurnFraming.CHANNEL_DATA_HEADER, length);
    try {
      int capacity = buf.capacity();
      TurnFraming.prependChannelDataHeader(buf, 0x4001);
      assertEquals(0, buf.readerIndex());
      assertEquals(4 + length, buf.readableBytes());
      assertEquals(0x4001, buf.getUnsignedShort(0));
      assertEquals(length, buf.getUnsignedShort(2));
      assertEquals(capacity, buf.capacity(), "no reallocation");
      assertEquals(PacketKind.TURN_CHANNEL, PacketKind.classify(buf.getUnsignedByte(0)));
      assertEquals(4 + length, TurnFraming.frameLength(buf, 0, false));
      int padded = (4 + length + 3) & ~3;
      assertEquals(padded, TurnFraming.frameLength(buf, 0, true));
      TurnFraming.padTo4(buf);
      assertEquals(padded, buf.readableBytes());
      for (int i = 4 + length; i < padded; i++) {
        assertEquals(0, buf.getByte(i));
      }
    } finally {
      buf.release();
    }
  }

  @Test
  void refusesToPrependWithoutHeadroom() {
    ByteBuf buf = payloadWithHeadroom(3, 10);
    try {
      assertThrows(
          IllegalArgumentException.class, () -> TurnFraming.prependChannelDataHeader(buf, 0x4000));
      assertThrows(
          IllegalArgumentException.class, () -> TurnFraming.prependDataIndication(buf, 1, 2));
      assertEquals(3, buf.readerIndex());
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 161, 1200})
  void prependsAnIpv4DataIndicationThatParses(int length) throws Exception {
    ByteBuf buf = payloadWithHeadroom(TurnFraming.DATA_INDICATION_HEADROOM, length);
    byte[] payload = ByteBufUtil.getBytes(buf);
    try {
      TurnFraming.prependDataIndication(buf, 0xC6336407, 40000);
      message.parse(buf);
      assertEquals(StunMethod.DATA, message.method());
      assertEquals(StunClass.INDICATION, message.stunClass());
      int peer = message.find(StunAttribute.XOR_PEER_ADDRESS);
      assertEquals(0xC6336407, message.readXorIpv4(peer));
      assertEquals(40000, message.readXorPort(peer));
      assertEquals(
          new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 40000),
          message.readXorAddress(peer));
      int data = message.find(StunAttribute.DATA);
      assertEquals(length, message.attributeLength(data));
      assertArrayEquals(payload, message.readBytes(data));
      assertEquals(message.messageLength(), TurnFraming.frameLength(buf, buf.readerIndex(), true));
      assertEquals(PacketKind.STUN, PacketKind.classify(buf.getUnsignedByte(buf.readerIndex())));
    } finally {
      buf.release();
    }
  }

  @Test
  void prependsAnIpv6DataIndicationThatParses() throws Exception {
    InetAddress ip = InetAddress.getByName("2001:db8::42");
    ByteBuf buf = payloadWithHeadroom(TurnFraming.DATA_INDICATION_HEADROOM, 7);
    byte[] payload = ByteBufUtil.getBytes(buf);
    try {
      TurnFraming.prependDataIndication(buf, ip.getAddress(), 5004);
      assertEquals(0, buf.readerIndex());
      message.parse(buf);
      assertEquals(
          new InetSocketAddress(ip, 5004),
          message.readXorAddress(message.find(StunAttribute.XOR_PEER_ADDRESS)));
      assertArrayEquals(payload, message.readBytes(message.find(StunAttribute.DATA)));
    } finally {
      buf.release();
    }
  }

  @Test
  void growsTheBufferForDataPaddingWhenFull() throws Exception {
    ByteBuf buf = Unpooled.buffer(48 + 5, 1024);
    try {
      buf.writerIndex(48);
      buf.writeBytes(new byte[] {1, 2, 3, 4, 5});
      buf.readerIndex(48);
      TurnFraming.prependDataIndication(buf, 0x01020304, 9);
      message.parse(buf);
      assertEquals(5, message.attributeLength(message.find(StunAttribute.DATA)));
    } finally {
      buf.release();
    }
  }

  @Test
  void framesStunAndChannelDataAndRefusesOtherFirstBits() {
    ByteBuf buf = Unpooled.buffer(4);
    try {
      buf.writeShort(0x0001).writeShort(88);
      assertEquals(108, TurnFraming.frameLength(buf, 0, true));
      buf.setShort(0, 0x4000);
      buf.setShort(2, 5);
      assertEquals(9, TurnFraming.frameLength(buf, 0, false));
      assertEquals(12, TurnFraming.frameLength(buf, 0, true));
      buf.setByte(0, 0x80);
      assertEquals(-1, TurnFraming.frameLength(buf, 0, true));
      buf.setByte(0, 0xC0);
      assertEquals(-1, TurnFraming.frameLength(buf, 0, false));
    } finally {
      buf.release();
    }
  }
}
