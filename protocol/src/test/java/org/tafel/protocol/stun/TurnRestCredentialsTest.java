package org.tafel.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
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
class TurnRestCredentialsTest {
  private static final JsonNode REST = Vectors.load("turn-rest-api.json");

  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : REST.get("vectors")) {
      out.add(Arguments.of(v.get("id").asText(), v));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void derivesRestPasswordExpiryAndLongTermKey(String id, JsonNode v) {
    JsonNode expected = v.get("expected");
    byte[] secret = Vectors.hex(v.get("shared_secret_utf8_hex"));
    assertArrayEquals(v.get("shared_secret").asText().getBytes(StandardCharsets.UTF_8), secret);
    String username = v.get("username").asText();
    String password = TurnCredentials.restPassword(secret, username);
    assertEquals(expected.get("password").asText(), password);
    assertEquals(v.get("expiry_unix").asLong(), TurnCredentials.restExpiry(username));
    assertArrayEquals(
        Vectors.hex(expected.get("long_term_key_md5_hex")),
        TurnCredentials.longTermKey(username, expected.get("realm").asText(), password));
  }

  @Test
  void derivesADifferentPasswordWithTheWrongSecret() {
    JsonNode wrong = REST.get("negative").get(1);
    String username = wrong.get("username").asText();
    String withWrong =
        TurnCredentials.restPassword("wrong".getBytes(StandardCharsets.UTF_8), username);
    assertEquals(wrong.get("password").asText(), withWrong);
    assertNotEquals(
        withWrong,
        TurnCredentials.restPassword("logen".getBytes(StandardCharsets.UTF_8), username));
  }

  @Test
  void parsesExpiredUsernameExpiryForTheCallerToRefuse() {
    JsonNode expired = REST.get("negative").get(0);
    String username = expired.get("username").asText();
    assertEquals(1_000_000_000L, TurnCredentials.restExpiry(username));
    assertEquals(
        expired.get("password").asText(),
        TurnCredentials.restPassword(
            expired.get("shared_secret").asText().getBytes(StandardCharsets.UTF_8), username));
  }

  @Test
  void returnsMinusOneForUsernamesWithoutLeadingExpiry() {
    assertEquals(-1, TurnCredentials.restExpiry("alice:1735689600"));
    assertEquals(-1, TurnCredentials.restExpiry(""));
    assertEquals(-1, TurnCredentials.restExpiry(":alice"));
    assertEquals(-1, TurnCredentials.restExpiry("12a4:alice"));
    assertEquals(-1, TurnCredentials.restExpiry("-5:alice"));
    assertEquals(-1, TurnCredentials.restExpiry("99999999999999999999999:alice"));
    assertEquals(0, TurnCredentials.restExpiry("0"));
  }

  @Test
  void verifiesTheSignedRestAllocateRequest() throws Exception {
    JsonNode e2e = REST.get("end_to_end_allocate");
    String username = e2e.get("username").asText();
    String realm = e2e.get("realm").asText();
    String password =
        TurnCredentials.restPassword("logen".getBytes(StandardCharsets.UTF_8), username);
    assertEquals(e2e.get("password").asText(), password);
    byte[] key = TurnCredentials.longTermKey(username, realm, password);
    assertArrayEquals(Vectors.hex(e2e.get("hmac_key_hex")), key);

    StunMessage message = new StunMessage();
    ByteBuf buf = Vectors.buffer(Vectors.hex(e2e.get("message_hex")));
    try {
      message.parse(buf);
      assertEquals(StunMethod.ALLOCATE, message.method());
      assertEquals(StunClass.REQUEST, message.stunClass());
      assertEquals(
          17, message.readRequestedTransport(message.find(StunAttribute.REQUESTED_TRANSPORT)));
      assertEquals(username, message.readString(message.find(StunAttribute.USERNAME), 513));
      assertEquals(realm, message.readString(message.find(StunAttribute.REALM), 763));
      assertEquals("0123456789abcdef", message.readString(message.find(StunAttribute.NONCE), 763));
      assertTrue(message.hasFingerprint());
      assertTrue(message.verifyFingerprint());
      assertTrue(message.verifyMessageIntegrity(key));
      byte[] wrongKey =
          TurnCredentials.longTermKey(
              username, realm, REST.get("negative").get(1).get("password").asText());
      assertFalse(message.verifyMessageIntegrity(wrongKey));
    } finally {
      buf.release();
    }
  }

  @Test
  void saslPrepMapsSpacesRemovesSoftHyphenAndRefusesControls() {
    assertEquals("a b", TurnCredentials.saslPrep("a\u00A0b"));
    assertEquals("ab", TurnCredentials.saslPrep("a\u00ADb"));
    assertEquals("IX", TurnCredentials.saslPrep("\u2168"));
    assertEquals("user", TurnCredentials.saslPrep("user"));
    assertThrows(IllegalArgumentException.class, () -> TurnCredentials.saslPrep("a\u0007b"));
    assertThrows(IllegalArgumentException.class, () -> TurnCredentials.saslPrep("a\uE000b"));
  }
}
