package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TCP connections are spread over the relay's event loops by how many each holds open, not in turn.
 * A client that opens a connection, drops it and opens the one it keeps (turnutils_uclient over TCP
 * does this per allocation) put every kept connection on the same loop of two when the loops were
 * taken in turn; the other loop relayed no TCP at all.
 */
class StreamLoopBalanceTest {
  private static final int KEPT = 8;

  @Test
  void connectionsKeptAfterDroppedOnesAreSpreadOverTheLoops() throws Exception {
    List<Socket> kept = new ArrayList<>();
    try (RelayFixture relay = RelayFixture.builder().start()) {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      for (int i = 0; i < KEPT; i++) {
        try (Socket dropped = new Socket(loopback, relay.port())) {
          awaitOpen(relay, kept.size() + 1);
        }
        awaitOpen(relay, kept.size());
        kept.add(new Socket(loopback, relay.port()));
        awaitOpen(relay, kept.size());
      }
      assertEquals(KEPT / 2, open(relay, 0), relay.metricsText());
      assertEquals(KEPT / 2, open(relay, 1), relay.metricsText());
    } finally {
      for (Socket s : kept) {
        s.close();
      }
    }
  }

  private static long open(RelayFixture relay, int loop) {
    return relay.metric("tafel_relay_stream_connections{loop=\"" + loop + "\"}");
  }

  /** Waits until the relay counts {@code n} open connections over both loops (up to 5 s). */
  private static void awaitOpen(RelayFixture relay, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (open(relay, 0) + open(relay, 1) != n) {
      assertTrue(
          System.nanoTime() < deadline,
          "expected " + n + " open connections: " + relay.metricsText());
      Thread.sleep(5);
    }
  }
}
