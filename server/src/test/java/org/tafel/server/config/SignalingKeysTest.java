package org.tafel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code signaling.*} keys and flags of docs/configuration.md. */
class SignalingKeysTest {
  private final ConfigLoader loader = new ConfigLoader(new SecretResolver(n -> null));

  private TafelConfig load(String yaml, String... flags) {
    return loader.loadText(yaml, CommandLine.parse(List.of(flags)).overlay());
  }

  private String error(String yaml, String... flags) {
    return assertThrows(ConfigException.class, () -> load(yaml, flags)).getMessage();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    TafelConfig.Signaling s = load("").signaling();
    assertEquals(8080, s.port());
    assertNull(s.registration());
    assertEquals(20, s.powBits());
    assertEquals(List.of(), s.relayUrls());
    assertEquals(10_000, s.queueDepth());
    assertEquals(20, s.sendRate());
    assertEquals(200, s.sendBurst());
    assertEquals(30, s.normalLifetimeDays());
  }

  @Test
  void yamlKeysAndFlagsBind() {
    TafelConfig.Signaling s =
        load(
                "signaling:\n  registration: licence\n  pow-bits: 12\n  normal-lifetime-days: 45\n"
                    + "  relay-urls: [\"turn:203.0.113.7:3478?transport=udp\"]\n",
                "--queue-depth",
                "500",
                "--send-rate",
                "5",
                "--send-burst",
                "50",
                "--relay-url",
                "turns:turn.schule.example:5349?transport=tcp")
            .signaling();
    assertEquals("licence", s.registration());
    assertEquals(12, s.powBits());
    assertEquals(45, s.normalLifetimeDays());
    assertEquals(List.of("turns:turn.schule.example:5349?transport=tcp"), s.relayUrls());
    assertEquals(500, s.queueDepth());
    assertEquals(5, s.sendRate());
    assertEquals(50, s.sendBurst());
  }

  @Test
  void badValuesNameKeyValueAndExpectation() {
    assertEquals(
        "signaling.registration: closed (expected: open or licence)",
        error("", "--registration", "closed"));
    assertEquals("signaling.pow-bits: 41 (expected: 0..40)", error("", "--pow-bits", "41"));
    assertEquals(
        "signaling.relay-urls: http://x (expected: turn:HOST:PORT[?transport=udp|tcp] or"
            + " turns:HOST:PORT)",
        error("", "--relay-url", "http://x"));
  }
}
