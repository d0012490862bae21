package org.tafel.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.stun.StunParseException.Reason;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

@ExtendWith(NettyLeakDetectorExtension.class)
class StunParseRobustnessTest {
  private static final JsonNode RFC5769 = Vectors.load("rfc5769-stun.json");

  private final StunMessage message = new StunMessage();
  private final StunWriter writer = new StunWriter();

  private static byte[] sampleRequest() {
    return Vectors.hex(RFC5769.get("vectors").get(0).get("message_hex"));
  }

  private Reason reasonFor(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      message.parse(buf);
      fail("parsed " + message);
      return null;
    } catch (StunParseException e) {
      assertEquals(0, message.attributeCount(), "view is empty after a failure");
      return e.reason();
    } finally {
      buf.release();
    }
  }

  private static byte[] header(int type, int length) {
    byte[] b = new byte[20 + length];
    b[0] = (byte) (type >>> 8);
    b[1] = (byte) type;
    b[2] = (byte) (length >>> 8);
    b[3] = (byte) length;
    b[4] = 0x21;
    b[5] = 0x12;
    b[6] = (byte) 0xA4;
    b[7] = 0x42;
    return b;
  }

  @Test
  void refusesEveryTruncationOfAValidMessage() {
    byte[] full = sampleRequest();
    for (int n = 0; n < full.length; n++) {
      Reason r = reasonFor(Arrays.copyOf(full, n));
      assertEquals(n < 20 ? Reason.TOO_SHORT : Reason.BAD_LENGTH, r, "truncated to " + n);
    }
  }

  @Test
  void refusesTrailingBytesAfterTheMessage() {
    byte[] full = sampleRequest();
    assertEquals(Reason.BAD_LENGTH, reasonFor(Arrays.copyOf(full, full.length + 4)));
  }

  @Test
  void refusesLengthNotAMultipleOfFour() {
    byte[] b = header(0x0001, 4);
    b[3] = 3;
    assertEquals(Reason.BAD_LENGTH, reasonFor(Arrays.copyOf(b, 23)));
  }

  @Test
  void refusesTopBitsSetAsNotStun() {
    byte[] b = header(0x0001, 0);
    b[0] = (byte) 0x40;
    assertEquals(Reason.NOT_STUN, reasonFor(b));
    b[0] = (byte) 0x80;
    assertEquals(Reason.NOT_STUN, reasonFor(b));
  }

  @Test
  void refusesAWrongMagicCookie() {
    byte[] b = header(0x0001, 0);
    b[7] = 0x43;
    assertEquals(Reason.BAD_MAGIC_COOKIE, reasonFor(b));
  }

  @Test
  void refusesAnAttributeOverrunningTheMessage() {
    byte[] b = header(0x0001, 8);
    b[20] = 0x00;
    b[21] = 0x06; // USERNAME
    b[23] = 5; // 5 bytes padded to 8 > 4 available
    assertEquals(Reason.ATTRIBUTE_OVERRUN, reasonFor(b));
    b[23] = (byte) 0xFF;
    b[22] = (byte) 0xFF;
    assertEquals(Reason.ATTRIBUTE_OVERRUN, reasonFor(b));
  }

  @Test
  void refusesSixtyFiveAttributesButAcceptsSixtyFour() throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.beginRandomTransaction(out, 0x0001);
      for (int i = 0; i < 64; i++) {
        writer.addEmpty(StunAttribute.DONT_FRAGMENT);
      }
      writer.finish();
      message.parse(out);
      assertEquals(64, message.attributeCount());
      out.clear();
      writer.beginRandomTransaction(out, 0x0001);
      for (int i = 0; i < 65; i++) {
        writer.addEmpty(StunAttribute.DONT_FRAGMENT);
      }
      writer.finish();
      StunParseException e = assertThrows(StunParseException.class, () -> message.parse(out));
      assertEquals(Reason.TOO_MANY_ATTRIBUTES, e.reason());
      assertSame(StunParseException.of(Reason.TOO_MANY_ATTRIBUTES), e, "preallocated");
      assertEquals(0, e.getStackTrace().length);
    } finally {
      out.release();
    }
  }

  @Test
  void ignoresAttributesAfterIntegrityExceptSha256AndFingerprint() throws Exception {
    byte[] key = {1, 2, 3};
    ByteBuf out = Unpooled.buffer();
    try {
      int start = out.writerIndex();
      writer
          .beginRandomTransaction(out, 0x0001)
          .addString(StunAttribute.USERNAME, "u")
          .addMessageIntegrity(key)
          .addString(StunAttribute.SOFTWARE, "ignored")
          .addMessageIntegritySha256(key)
          .addString(StunAttribute.REALM, "ignored too")
          .addFingerprint()
          .addString(StunAttribute.NONCE, "after fingerprint")
          .finish();
      message.parse(out);
      assertEquals(4, message.attributeCount());
      assertEquals(-1, message.find(StunAttribute.SOFTWARE));
      assertEquals(-1, message.find(StunAttribute.REALM));
      assertEquals(-1, message.find(StunAttribute.NONCE));
      assertEquals(1, message.integrityAttributeIndex());
      assertEquals(2, message.integritySha256AttributeIndex());
      assertEquals(3, message.fingerprintAttributeIndex());
      assertEquals(start, message.start());
    } finally {
      out.release();
    }
  }

  @Test
  void refusesAFingerprintThatDoesNotMatchOrIsNotFourBytes() throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.beginRandomTransaction(out, 0x0001).addFingerprint().finish();
      out.setByte(out.writerIndex() - 1, out.getByte(out.writerIndex() - 1) ^ 1);
      StunParseException e = assertThrows(StunParseException.class, () -> message.parse(out));
      assertEquals(Reason.BAD_FINGERPRINT, e.reason());

      out.clear();
      writer
          .beginRandomTransaction(out, 0x0001)
          .addBytes(StunAttribute.FINGERPRINT, new byte[8])
          .finish();
      e = assertThrows(StunParseException.class, () -> message.parse(out));
      assertEquals(Reason.BAD_FINGERPRINT, e.reason());
    } finally {
      out.release();
    }
  }

  @Test
  void typedReadersRefuseWrongLengthsWithBadAttributeValue() throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      writer
          .beginRandomTransaction(out, 0x0001)
          .addBytes(StunAttribute.LIFETIME, new byte[3])
          .addBytes(StunAttribute.XOR_PEER_ADDRESS, new byte[] {0, 1, 0, 0, 0, 0, 0, 0, 0})
          .addBytes(StunAttribute.XOR_MAPPED_ADDRESS, new byte[] {0, 3, 0, 0, 0, 0, 0, 0})
          .addBytes(StunAttribute.ERROR_CODE, new byte[] {0, 0, 2, 0})
          .addString(StunAttribute.USERNAME, "toolong")
          .addBytes(StunAttribute.EVEN_PORT, new byte[4])
          .addBytes(StunAttribute.MESSAGE_INTEGRITY_SHA256, new byte[16])
          .finish();
      message.parse(out);
      StunParseException lifetime =
          assertThrows(StunParseException.class, () -> message.readUint32(0));
      assertEquals(Reason.BAD_ATTRIBUTE_VALUE, lifetime.reason());
      assertTrue(
          lifetime.getMessage().contains("LIFETIME length 3 (expected: 4)"), lifetime.getMessage());
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.readXorAddress(1)).reason());
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.readXorPort(2)).reason());
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.readErrorCode(3)).reason());
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.readString(4, 3)).reason());
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.readEvenPortReserve(5)).reason());
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.readChannelNumber(0)).reason());
      // A 16-byte (truncated) MESSAGE-INTEGRITY-SHA256 is allowed, and simply does not verify.
      assertEquals(6, message.integritySha256AttributeIndex());
      assertEquals(false, message.verifyMessageIntegritySha256(new byte[] {1}));
    } finally {
      out.release();
    }
  }

  @Test
  void refusesMessageIntegrityOfTheWrongSize() throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      writer
          .beginRandomTransaction(out, 0x0001)
          .addBytes(StunAttribute.MESSAGE_INTEGRITY, new byte[16])
          .finish();
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.parse(out)).reason());
      out.clear();
      writer
          .beginRandomTransaction(out, 0x0001)
          .addBytes(StunAttribute.MESSAGE_INTEGRITY_SHA256, new byte[12])
          .finish();
      assertEquals(
          Reason.BAD_ATTRIBUTE_VALUE,
          assertThrows(StunParseException.class, () -> message.parse(out)).reason());
    } finally {
      out.release();
    }
  }

  /**
   * Random and mutated datagrams never escape as anything but StunParseException, and whatever
   * parses can be read with every typed reader without a runtime exception.
   */
  @Test
  void onlyEverThrowsStunParseExceptionOnRandomAndMutatedInput() {
    Random random = new Random(0x7AFE1L);
    byte[][] seeds = new byte[4][];
    for (int k = 0; k < 4; k++) {
      seeds[k] = Vectors.hex(RFC5769.get("vectors").get(k).get("message_hex"));
    }
    byte[] key = {1};
    int parsed = 0;
    for (int iteration = 0; iteration < 100_000; iteration++) {
      byte[] bytes;
      if (iteration % 2 == 0) {
        bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        if (bytes.length >= 8 && random.nextBoolean()) {
          bytes[0] &= 0x3F;
          bytes[4] = 0x21;
          bytes[5] = 0x12;
          bytes[6] = (byte) 0xA4;
          bytes[7] = 0x42;
          if (bytes.length >= 20 && random.nextBoolean()) {
            int len = (bytes.length - 20) & ~3;
            bytes = Arrays.copyOf(bytes, 20 + len);
            bytes[2] = (byte) (len >>> 8);
            bytes[3] = (byte) len;
          }
        }
      } else {
        byte[] seed = seeds[random.nextInt(seeds.length)];
        bytes = seed.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips; f++) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        if (random.nextInt(8) == 0) {
          bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 8));
        }
      }
      ByteBuf buf = Unpooled.wrappedBuffer(bytes);
      try {
        message.parse(buf);
        parsed++;
        exerciseReaders(key);
      } catch (StunParseException expected) {
        // the only acceptable outcome besides success
      } catch (RuntimeException e) {
        throw new AssertionError("iteration " + iteration + ": " + Arrays.toString(bytes), e);
      } finally {
        buf.release();
      }
    }
    assertTrue(parsed > 0, "some mutated messages still parse");
  }

  private void exerciseReaders(byte[] key) {
    message.verifyMessageIntegrity(key);
    message.verifyMessageIntegritySha256(key);
    message.verifyFingerprint();
    message.stunClass();
    message.toString();
    for (int i = 0; i < message.attributeCount(); i++) {
      int idx = i;
      Reader[] readers = {
        () -> message.readString(idx, 763),
        () -> message.readUint32(idx),
        () -> message.readChannelNumber(idx),
        () -> message.readRequestedTransport(idx),
        () -> message.readAddressFamily(idx),
        () -> message.readEvenPortReserve(idx),
        () -> message.readErrorCode(idx),
        () -> message.readErrorReason(idx),
        () -> message.readXorAddress(idx),
        () -> message.readXorFamily(idx),
        () -> message.readXorPort(idx),
        () -> message.readXorIpv4(idx),
        () -> {
          message.readXorIpv6(idx, new byte[16]);
          return null;
        },
        () -> message.readAddress(idx),
        () -> message.readBytes(idx),
      };
      for (Reader r : readers) {
        try {
          r.read();
        } catch (StunParseException expected) {
          // fine
        }
      }
    }
  }

  @FunctionalInterface
  private interface Reader {
    Object read() throws StunParseException;
  }
}
