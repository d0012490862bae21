package org.tafel.client.call.ice;

import java.time.Duration;
import java.util.List;

/**
 * One ICE session's settings: the relays to allocate on (at least one), whether this side is the
 * controlling agent (the caller), and how long connectivity checks may take.
 */
public record IceConfig(
    List<TurnServer> turnServers, boolean controlling, Duration connectTimeout) {
  public IceConfig {
    if (turnServers == null || turnServers.isEmpty()) {
      throw new IllegalArgumentException("turnServers: none (expected: at least one)");
    }
    turnServers = List.copyOf(turnServers);
    if (connectTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || connectTimeout.compareTo(Duration.ofMinutes(2)) > 0) {
      throw new IllegalArgumentException(
          "connectTimeout: " + connectTimeout + " (expected: 1s..2m)");
    }
  }

  public static IceConfig of(TurnServer turn, boolean controlling) {
    return new IceConfig(List.of(turn), controlling, Duration.ofSeconds(20));
  }
}
