package org.tafel.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

@ExtendWith(NettyLeakDetectorExtension.class)
class StunVectorsTest {
  private static final JsonNode RFC5769 = Vectors.load("rfc5769-stun.json");
  private static final JsonNode RFC8489 = Vectors.load("rfc8489-stun.json");

  private final StunMessage message = new StunMessage();

  static Stream<Arguments> rfc5769() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : RFC5769.get("vectors")) {
      out.add(Arguments.of(v.get("id").asText(), v, false));
      out.add(Arguments.of(v.get("id").asText() + " (direct, offset)", v, true));
    }
    return out.stream();
  }

  private static ByteBuf bufferFor(byte[] bytes, boolean direct) {
    return direct ? Vectors.directWithSurroundings(bytes) : Vectors.buffer(bytes);
  }

  private static byte[] keyOf(JsonNode vector) {
    return Vectors.hex(vector.get("credentials").get("hmac_key_hex"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5769")
  void decodesRfc5769SampleHeaderAndAttributesAsPublished(String id, JsonNode v, boolean direct)
      throws Exception {
    JsonNode expected = v.get("expected");
    ByteBuf buf = bufferFor(Vectors.hex(v.get("message_hex")), direct);
    try {
      message.parse(buf);
      assertEquals(Integer.decode(expected.get("message_type").asText()), message.messageType());
      assertEquals(Integer.decode(expected.get("method").asText()), message.method());
      assertEquals(
          StunClass.valueOf(expected.get("class").asText().toUpperCase()), message.stunClass());
      assertEquals(expected.get("header_length_field").asInt(), message.bodyLength());
      assertEquals(
          expected.get("transaction_id_hex").asText(),
          ByteBufUtil.hexDump(buf, message.transactionIdIndex(), 12));
      JsonNode attrs = expected.get("attributes");
      assertEquals(attrs.size(), message.attributeCount());
      for (int i = 0; i < attrs.size(); i++) {
        JsonNode a = attrs.get(i);
        assertEquals(Integer.decode(a.get("type").asText()), message.attributeType(i));
        assertEquals(a.get("name").asText(), StunAttribute.name(message.attributeType(i)));
        assertEquals(a.get("length").asInt(), message.attributeLength(i));
        assertEquals(a.get("offset").asInt() + 4, message.attributeValueIndex(i) - message.start());
        assertEquals(
            a.get("value_hex").asText(),
            ByteBufUtil.hexDump(buf, message.attributeValueIndex(i), message.attributeLength(i)));
      }
      assertEquals(expected.has("fingerprint_hex"), message.hasFingerprint());
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5769")
  void verifiesRfc5769SampleIntegrityAndFingerprintOverReceivedBytes(
      String id, JsonNode v, boolean direct) throws Exception {
    ByteBuf buf = bufferFor(Vectors.hex(v.get("message_hex")), direct);
    try {
      message.parse(buf);
      assertTrue(message.integrityAttributeIndex() >= 0);
      assertTrue(message.verifyMessageIntegrity(keyOf(v)), "MESSAGE-INTEGRITY");
      if (message.hasFingerprint()) {
        assertTrue(message.verifyFingerprint(), "FINGERPRINT");
      }
      byte[] wrongKey = keyOf(v);
      wrongKey[0] ^= 1;
      assertFalse(message.verifyMessageIntegrity(wrongKey));
      assertFalse(message.verifyMessageIntegritySha256(keyOf(v)), "no SHA-256 integrity");
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5769")
  void rejectsRfc5769TamperedVariant(String id, JsonNode v, boolean direct) throws Exception {
    ByteBuf buf = bufferFor(Vectors.hex(v.get("negative_variant").get("message_hex")), direct);
    try {
      if (v.get("expected").has("fingerprint_hex")) {
        StunParseException e = assertThrows(StunParseException.class, () -> message.parse(buf));
        assertEquals(StunParseException.Reason.BAD_FINGERPRINT, e.reason());
      } else {
        message.parse(buf);
        assertFalse(message.verifyMessageIntegrity(keyOf(v)));
      }
    } finally {
      buf.release();
    }
  }

  @Test
  void verifiesRfc5769SampleRequestIntegrityOverReceivedBytes() throws Exception {
    JsonNode v = RFC5769.get("vectors").get(0);
    ByteBuf buf = Vectors.buffer(Vectors.hex(v.get("message_hex")));
    try {
      message.parse(buf);
      // The USERNAME padding is three spaces: re-encoding with zero padding would break the HMAC.
      int username = message.find(StunAttribute.USERNAME);
      assertEquals(
          "202020", ByteBufUtil.hexDump(buf, message.attributeValueIndex(username) + 9, 3));
      assertEquals("evtj:h6vY", message.readString(username, 513));
      assertEquals(
          "STUN test client", message.readString(message.find(StunAttribute.SOFTWARE), 763));
      assertEquals(0x6e0001ff, message.readUint32(message.find(StunAttribute.PRIORITY)));
      assertEquals(
          "932ff9b151263b36",
          ByteBufUtil.hexDump(message.readBytes(message.find(StunAttribute.ICE_CONTROLLED))));
      assertTrue(message.verifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBt".getBytes("UTF-8")));
    } finally {
      buf.release();
    }
  }

  @Test
  void decodesRfc5769XorMappedAddressesForIpv4AndIpv6() throws Exception {
    for (int k = 1; k <= 2; k++) {
      JsonNode v = RFC5769.get("vectors").get(k);
      JsonNode xma = v.get("expected").get("xor_mapped_address");
      ByteBuf buf = Vectors.buffer(Vectors.hex(v.get("message_hex")));
      try {
        message.parse(buf);
        int i = message.find(StunAttribute.XOR_MAPPED_ADDRESS);
        InetSocketAddress expected =
            new InetSocketAddress(
                InetAddress.getByName(xma.get("address").asText()), xma.get("port").asInt());
        assertEquals(expected, message.readXorAddress(i));
        assertEquals(xma.get("port").asInt(), message.readXorPort(i));
        if (k == 1) {
          assertEquals(StunMessage.FAMILY_IPV4, message.readXorFamily(i));
          assertEquals(0xC0000201, message.readXorIpv4(i));
        } else {
          assertEquals(StunMessage.FAMILY_IPV6, message.readXorFamily(i));
          byte[] ip = new byte[16];
          message.readXorIpv6(i, ip);
          assertArrayEquals(expected.getAddress().getAddress(), ip);
          StunParseException e =
              assertThrows(StunParseException.class, () -> message.readXorIpv4(i));
          assertEquals(StunParseException.Reason.BAD_ATTRIBUTE_VALUE, e.reason());
        }
        assertEquals("test vector", message.readString(message.find(StunAttribute.SOFTWARE), 763));
      } finally {
        buf.release();
      }
    }
  }

  @Test
  void derivesRfc5769LongTermKeyWithSaslPrepAndVerifies() throws Exception {
    JsonNode v = RFC5769.get("vectors").get(3);
    JsonNode c = v.get("credentials");
    assertEquals("TheMatrIX", TurnCredentials.saslPrep(c.get("password_before_saslprep").asText()));
    byte[] key =
        TurnCredentials.longTermKey(
            c.get("username").asText(),
            c.get("realm").asText(),
            c.get("password_before_saslprep").asText());
    assertArrayEquals(Vectors.hex(c.get("hmac_key_hex")), key);

    ByteBuf buf = Vectors.buffer(Vectors.hex(v.get("message_hex")));
    try {
      message.parse(buf);
      assertEquals(
          c.get("username").asText(),
          message.readString(message.find(StunAttribute.USERNAME), 513));
      assertEquals(
          c.get("nonce").asText(), message.readString(message.find(StunAttribute.NONCE), 763));
      assertEquals(
          c.get("realm").asText(), message.readString(message.find(StunAttribute.REALM), 763));
      assertTrue(message.verifyMessageIntegrity(key));
      assertFalse(message.hasFingerprint());
      assertFalse(message.verifyFingerprint());
    } finally {
      buf.release();
    }
  }

  @Test
  void verifiesRfc8489SampleWithUserhashAndMessageIntegritySha256() throws Exception {
    JsonNode v = RFC8489.get("vectors").get(0);
    JsonNode c = v.get("credentials");
    String username = c.get("username").asText();
    String realm = c.get("realm").asText();
    assertArrayEquals(
        Vectors.hex(c.get("userhash_hex")), TurnCredentials.userHash(username, realm));
    byte[] key =
        TurnCredentials.longTermKeySha256(
            username, realm, c.get("password_before_opaquestring").asText());
    assertArrayEquals(Vectors.hex(c.get("hmac_key_hex")), key);

    ByteBuf buf = Vectors.buffer(Vectors.hex(v.get("message_hex")));
    try {
      message.parse(buf);
      JsonNode attrs = v.get("expected").get("attributes");
      assertEquals(attrs.size(), message.attributeCount());
      for (int i = 0; i < attrs.size(); i++) {
        assertEquals(Integer.decode(attrs.get(i).get("type").asText()), message.attributeType(i));
        assertEquals(attrs.get(i).get("length").asInt(), message.attributeLength(i));
      }
      assertEquals(-1, message.integrityAttributeIndex());
      assertEquals(4, message.integritySha256AttributeIndex());
      assertEquals(
          c.get("nonce").asText(), message.readString(message.find(StunAttribute.NONCE), 763));
      assertEquals(2, message.readUint32(message.find(StunAttribute.PASSWORD_ALGORITHM)) >>> 16);
      assertTrue(message.verifyMessageIntegritySha256(key));
      assertFalse(message.verifyMessageIntegrity(key), "no SHA-1 MESSAGE-INTEGRITY present");
      byte[] md5Key = TurnCredentials.longTermKey(username, realm, "TheMatrIX");
      assertFalse(message.verifyMessageIntegritySha256(md5Key));
    } finally {
      buf.release();
    }
  }

  @Test
  void rejectsRfc8489OriginalMisprintedSampleByLength() {
    JsonNode v = RFC8489.get("vectors").get(1);
    ByteBuf buf = Vectors.buffer(Vectors.hex(v.get("message_hex")));
    try {
      StunParseException e = assertThrows(StunParseException.class, () -> message.parse(buf));
      assertEquals(StunParseException.Reason.BAD_LENGTH, e.reason());
    } finally {
      buf.release();
    }
  }

  @Test
  void rejectsRfc8489OriginalMisprintedSampleIntegrityEvenWithLengthRepaired() throws Exception {
    JsonNode good = RFC8489.get("vectors").get(0);
    JsonNode c = good.get("credentials");
    byte[] bytes = Vectors.hex(RFC8489.get("vectors").get(1).get("message_hex"));
    int body = bytes.length - 20;
    bytes[2] = (byte) (body >>> 8);
    bytes[3] = (byte) body;
    ByteBuf buf = Vectors.buffer(bytes);
    try {
      message.parse(buf);
      String user = c.get("username").asText();
      String realm = c.get("realm").asText();
      String password = c.get("password_before_opaquestring").asText();
      assertFalse(
          message.verifyMessageIntegritySha256(
              TurnCredentials.longTermKeySha256(user, realm, password)));
      assertFalse(
          message.verifyMessageIntegritySha256(TurnCredentials.longTermKey(user, realm, password)));
    } finally {
      buf.release();
    }
  }

  @Test
  void parseLeavesReaderAndWriterIndicesUntouched() throws Exception {
    ByteBuf buf =
        Vectors.directWithSurroundings(
            Vectors.hex(RFC5769.get("vectors").get(0).get("message_hex")));
    try {
      int r = buf.readerIndex();
      int w = buf.writerIndex();
      message.parse(buf);
      message.verifyMessageIntegrity(keyOf(RFC5769.get("vectors").get(0)));
      assertEquals(r, buf.readerIndex());
      assertEquals(w, buf.writerIndex());
      assertEquals(r, message.start());
      assertEquals(r + 8, message.transactionIdIndex());
    } finally {
      buf.release();
    }
  }
}
