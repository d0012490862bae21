package org.tafel.protocol.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PseudonymsTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void base32FollowsRfc4648Vectors() {
    // RFC 4648 §10, lower case, no padding
    assertEquals("my", Pseudonyms.base32("f".getBytes(StandardCharsets.US_ASCII), 2));
    assertEquals("mzxw6", Pseudonyms.base32("foo".getBytes(StandardCharsets.US_ASCII), 5));
    assertEquals("mzxw6yq", Pseudonyms.base32("foob".getBytes(StandardCharsets.US_ASCII), 8));
    assertEquals("mzxw6ytb", Pseudonyms.base32("fooba".getBytes(StandardCharsets.US_ASCII), 8));
    assertEquals("mzxw6ytboi", Pseudonyms.base32("foobar".getBytes(StandardCharsets.US_ASCII), 10));
  }

  @Test
  void relayPseudonymChangesDailyAndBlobPseudonymDoesNot() {
    Pseudonyms relay = new Pseudonyms(Pseudonyms.RELAY, KEY);
    Instant day1 = Instant.parse("2026-11-27T23:59:59Z");
    String a = relay.daily("ABCD1234", day1);
    assertEquals(16, a.length());
    assertTrue(a.matches("[a-z2-7]{16}"), a);
    assertEquals(a, relay.daily("ABCD1234", Instant.parse("2026-11-27T00:00:00Z")));
    assertNotEquals(a, relay.daily("ABCD1234", day1.plusSeconds(1)));
    assertNotEquals(a, relay.daily("ABCD1235", day1));
    Pseudonyms blob = new Pseudonyms(Pseudonyms.BLOB, KEY);
    assertEquals(blob.constant("ABCD1234"), blob.constant("ABCD1234"));
    assertNotEquals(blob.of("ABCD1234", "2026-11-27"), relay.of("ABCD1234", "2026-11-27"));
    assertTrue(!a.contains("abcd1234"));
  }
}
