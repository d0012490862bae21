package org.tafel.client.testing;

import org.tafel.relay.RelayFixture;
import org.tafel.relay.RelayStartException;

/**
 * Starts a {@link RelayFixture} on loopback that relays to loopback peers. With port 0 the relay
 * takes an ephemeral UDP port and then binds TCP on the same number, which another process on a
 * busy machine may hold; a few attempts make that collision harmless for the client's tests.
 */
public final class Relays {
  private Relays() {}

  public static RelayFixture start() throws RelayStartException {
    RelayStartException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return RelayFixture.builder().allowPeer("127.0.0.0/8").start();
      } catch (RelayStartException e) {
        if (e.getMessage() == null || !e.getMessage().contains("in use")) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }
}
