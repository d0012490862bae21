package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each invalid setting is refused by name, with what was expected. */
class SignalingConfigTest {
  private static final byte[] KEY = new byte[32];

  private static String refused(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void loginDeadlineLeavesRoomForTheProofOfWorkUpToTheIdleTimeout() {
    Path d = Path.of("data");
    java.util.function.BiFunction<SignalingConfig.Registration, Integer, java.time.Duration>
        deadline =
            (r, bits) ->
                SignalingConfig.builder(d, KEY).registration(r, bits).build().loginDeadline();
    assertEquals(
        java.time.Duration.ofSeconds(30), deadline.apply(SignalingConfig.Registration.OPEN, 20));
    assertEquals(
        java.time.Duration.ofSeconds(120), deadline.apply(SignalingConfig.Registration.OPEN, 22));
    assertEquals(
        java.time.Duration.ofMinutes(5), deadline.apply(SignalingConfig.Registration.OPEN, 30));
    assertEquals(
        java.time.Duration.ofSeconds(30), deadline.apply(SignalingConfig.Registration.LICENCE, 30));
  }

  @Test
  void refusesInvalidSettingsNamingThem() {
    Path d = Path.of("data");
    assertEquals(
        "pow-bits: 41 (expected: 0..40)",
        refused(
            () ->
                SignalingConfig.builder(d, KEY)
                    .registration(SignalingConfig.Registration.OPEN, 41)
                    .build()));
    assertEquals(
        "server-key: expected 32 bytes",
        refused(() -> SignalingConfig.builder(d, new byte[31]).build()));
    assertEquals(
        "relay-urls: 'http://relay' (expected: turn:HOST:PORT or turns:HOST:PORT, RFC 7065)",
        refused(
            () ->
                SignalingConfig.builder(d, KEY)
                    .relay(List.of("http://relay"), null, new byte[32])
                    .build()));
    assertEquals(
        "queue-depth: 0 (expected: 1..10000000)",
        refused(() -> SignalingConfig.Limits.defaults().withQueueDepth(0)));
    assertEquals(
        "short-lifetime: 60s (expected: at most normal-lifetime, 30s)",
        refused(
            () -> SignalingConfig.Limits.defaults().withNormalLifetime(Duration.ofSeconds(30))));
    assertEquals(
        "tls: only one of certificate and private key is set (expected: both or neither)",
        refused(() -> SignalingConfig.builder(d, KEY).tls(Path.of("c.pem"), null).build()));
  }
}
