package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tafel.relay.transport.FlushBatch;

/**
 * {@code -Dtafel.relay.holdMicros}, the bound on how long a queued datagram waits for the end of
 * its loop iteration: a value that is not a whole number of microseconds in range stops the relay
 * with a message naming the property and what it takes, instead of being replaced silently.
 */
class HoldBoundPropertyTest {
  @Test
  void parsesMicrosecondsAndRefusesAnythingElseNamingTheProperty() {
    assertEquals(50_000L, FlushBatch.holdNanos(null), "unset: 50 µs");
    assertEquals(0L, FlushBatch.holdNanos("0"));
    assertEquals(20_000L, FlushBatch.holdNanos(" 20 "));
    assertEquals(1_000_000_000_000L, FlushBatch.holdNanos("1000000000"));
    for (String bad : new String[] {"", "fast", "-1", "1.5", "50us", "1000000001"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> FlushBatch.holdNanos(bad), bad);
      assertTrue(
          e.getMessage().contains("-Dtafel.relay.holdMicros=" + bad)
              && e.getMessage().contains("expected a whole number of microseconds from 0 to"),
          e.getMessage());
    }
  }

  @Test
  void aMistypedValueStopsTheRelayBeforeItBindsAnything() {
    String before = System.getProperty(FlushBatch.HOLD_PROPERTY);
    System.setProperty(FlushBatch.HOLD_PROPERTY, "50us");
    try {
      RelayStartException e =
          assertThrows(RelayStartException.class, () -> RelayFixture.builder().start());
      assertTrue(e.getMessage().contains("-Dtafel.relay.holdMicros=50us"), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(FlushBatch.HOLD_PROPERTY);
      } else {
        System.setProperty(FlushBatch.HOLD_PROPERTY, before);
      }
    }
  }
}
