package org.tafel.protocol.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContactDiscoveryTest {

  @Test
  void normalisesAndHashesAsTheVectorsSay() throws Exception {
    JsonNode v;
    try (InputStream in = getClass().getResourceAsStream("/vectors/discovery.json")) {
      v = new ObjectMapper().readTree(in);
    }
    byte[] key = HexFormat.of().parseHex(v.get("key").asText());
    int checked = 0;
    for (JsonNode c : v.get("cases")) {
      String input = c.get("input").asText();
      String cc = c.get("countryCode").isNull() ? null : c.get("countryCode").asText();
      Optional<String> got =
          c.get("kind").asText().equals("email")
              ? ContactDiscovery.email(input)
              : ContactDiscovery.phone(input, cc);
      String expected = c.get("normalised").isNull() ? null : c.get("normalised").asText();
      assertEquals(Optional.ofNullable(expected), got, "normalised form of '" + input + "'");
      if (expected != null) {
        assertEquals(
            c.get("hash").asText(),
            HexFormat.of().formatHex(ContactDiscovery.hash(key, expected)),
            "hash of " + expected);
      }
      checked++;
    }
    assertEquals(16, checked);
  }
}
