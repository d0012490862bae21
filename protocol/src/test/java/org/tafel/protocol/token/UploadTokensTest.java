package org.tafel.protocol.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadTokensTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final KeyRing.Key OLD = new KeyRing.Key("k1", bytes(1));
  private static final KeyRing.Key NEW = new KeyRing.Key("k2", bytes(2));

  private static byte[] bytes(int fill) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  private static UploadTokens at(Instant now, KeyRing.Key... keys) {
    return new UploadTokens(new KeyRing(List.of(keys)), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void issuedTokenVerifiesWithItsClaims() throws TokenException {
    String token = at(NOW, NEW, OLD).issue("abcdefghijklmnop", 5000, Duration.ofMinutes(30));
    assertTrue(token.startsWith("ut1."));
    UploadToken claims = at(NOW.plusSeconds(60), NEW, OLD).verify(token);
    assertEquals("abcdefghijklmnop", claims.sub());
    assertEquals(5000, claims.cap());
    assertEquals("k2", claims.kid());
    String json =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"sub\"") && json.contains("\"exp\""), json);
  }

  @Test
  void tokenSignedWithAnOlderListedKeyIsAccepted() throws TokenException {
    String token = at(NOW, OLD).issue("s", 1, Duration.ofMinutes(5));
    assertEquals("k1", at(NOW, NEW, OLD).verify(token).kid());
  }

  @Test
  void refusesKeyThatIsNoLongerListed() {
    String token = at(NOW, OLD).issue("s", 1, Duration.ofMinutes(5));
    assertEquals(reason(at(NOW, NEW), token), TokenException.Reason.UNKNOWN_KEY);
  }

  @Test
  void refusesExpiredToken() {
    String token = at(NOW, NEW).issue("s", 1, Duration.ofMinutes(5));
    assertEquals(TokenException.Reason.EXPIRED, reason(at(NOW.plusSeconds(301), NEW), token));
  }

  @Test
  void refusesChangedClaimsOrSignature() {
    String token = at(NOW, NEW).issue("s", 1, Duration.ofMinutes(5));
    String[] parts = token.split("\\.");
    String bigger =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("\"cap\":1", "\"cap\":999999")
                    .getBytes(StandardCharsets.UTF_8));
    assertEquals(
        TokenException.Reason.BAD_SIGNATURE,
        reason(at(NOW, NEW), parts[0] + "." + bigger + "." + parts[2]));
    assertEquals(
        TokenException.Reason.BAD_SIGNATURE,
        reason(at(NOW, NEW), token.substring(0, token.length() - 2) + "AA"));
  }

  @Test
  void refusesTokenValidForMoreThanAnHour() {
    // signed by someone holding the key but with exp two hours ahead
    String token = at(NOW.plus(Duration.ofMinutes(61)), NEW).issue("s", 1, Duration.ofHours(1));
    assertEquals(TokenException.Reason.TOO_LONG_LIVED, reason(at(NOW, NEW), token));
    assertThrows(
        IllegalArgumentException.class, () -> at(NOW, NEW).issue("s", 1, Duration.ofHours(2)));
  }

  @Test
  void refusesMalformedText() {
    for (String bad :
        new String[] {
          "",
          "ut1",
          "ut1..",
          "ut2.e30.AA",
          "ut1.!!!.AA",
          "ut1.e30.AA",
          "x".repeat(2000),
          "ut1.bnVsbA.AA"
        }) {
      assertEquals(TokenException.Reason.MALFORMED, reason(at(NOW, NEW), bad), bad);
    }
  }

  private static TokenException.Reason reason(UploadTokens tokens, String token) {
    return assertThrows(TokenException.class, () -> tokens.verify(token)).reason();
  }
}
