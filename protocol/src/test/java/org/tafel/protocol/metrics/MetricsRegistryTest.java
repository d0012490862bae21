package org.tafel.protocol.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsRegistryTest {

  private static String render(MetricsRegistry registry) {
    StringBuilder out = new StringBuilder();
    registry.writeText(out);
    return out.toString();
  }

  @Test
  void rendersCountersAndGaugesInTextFormat004() {
    MetricsRegistry registry = new MetricsRegistry();
    Counter toPeer =
        registry.counter(
            "tafel_relay_bytes_total", "Bytes relayed.", "direction", "client_to_peer");
    Counter toClient =
        registry.counter(
            "tafel_relay_bytes_total", "Bytes relayed.", "direction", "peer_to_client");
    AtomicLong allocations = new AtomicLong(3);
    registry.gauge("tafel_relay_allocations", "Live allocations.", allocations::get);
    registry.gauge(
        "tafel_relay_listeners", "Open listeners.", () -> 2, "transport", "udp", "family", "ipv4");
    registry.counter("a_first_total", "Sorted first.\\ and\nnewline").add(0);

    toPeer.add(1200);
    toClient.increment();
    allocations.set(5);

    assertEquals(
        "# HELP a_first_total Sorted first.\\\\ and\\nnewline\n"
            + "# TYPE a_first_total counter\n"
            + "a_first_total 0\n"
            + "# HELP tafel_relay_allocations Live allocations.\n"
            + "# TYPE tafel_relay_allocations gauge\n"
            + "tafel_relay_allocations 5\n"
            + "# HELP tafel_relay_bytes_total Bytes relayed.\n"
            + "# TYPE tafel_relay_bytes_total counter\n"
            + "tafel_relay_bytes_total{direction=\"client_to_peer\"} 1200\n"
            + "tafel_relay_bytes_total{direction=\"peer_to_client\"} 1\n"
            + "# HELP tafel_relay_listeners Open listeners.\n"
            + "# TYPE tafel_relay_listeners gauge\n"
            + "tafel_relay_listeners{family=\"ipv4\",transport=\"udp\"} 2\n",
        render(registry));
  }

  @Test
  void rendersNothingForAnEmptyRegistry() {
    assertEquals("", render(new MetricsRegistry()));
  }

  @Test
  void returnsTheSameCounterForTheSameNameAndLabels() {
    MetricsRegistry registry = new MetricsRegistry();
    Counter a = registry.counter("x_total", "X.", "kind", "a", "transport", "udp");
    assertSame(a, registry.counter("x_total", "X.", "kind", "a", "transport", "udp"));
    assertSame(a, registry.counter("x_total", "X.", "transport", "udp", "kind", "a"));
    Counter b = registry.counter("x_total", "X.", "kind", "b", "transport", "udp");
    assertTrue(a != b);
  }

  @Test
  void refusesTheSameNameWithAnotherHelpTypeOrLabelNames() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.counter("x_total", "X.", "kind", "a");
    assertThrows(IllegalArgumentException.class, () -> registry.counter("x_total", "Other."));
    assertThrows(
        IllegalArgumentException.class,
        () -> registry.gauge("x_total", "X.", () -> 1, "kind", "a"));
    assertThrows(
        IllegalArgumentException.class, () -> registry.counter("x_total", "X.", "other", "a"));
    assertThrows(IllegalArgumentException.class, () -> registry.counter("x_total", "X."));
  }

  @Test
  void refusesTheSameGaugeTwice() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.gauge("g", "G.", () -> 1, "kind", "a");
    registry.gauge("g", "G.", () -> 2, "kind", "b");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> registry.gauge("g", "G.", () -> 3, "kind", "a"));
    assertEquals("gauge: 'g{kind=\"a\"}' (expected: registered once)", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1abc", "a-b", "a b", "bytes.total", "ä"})
  void refusesInvalidMetricNames(String name) {
    MetricsRegistry registry = new MetricsRegistry();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> registry.counter(name, "H."));
    assertEquals(
        "metric name: '" + name + "' (expected: [a-zA-Z_:][a-zA-Z0-9_:]*)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> registry.gauge(name, "H.", () -> 0));
  }

  @Test
  void acceptsColonsAndUnderscoresInMetricNames() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.counter("_tafel:relay_x_total", "H.").increment();
    assertTrue(render(registry).contains("\n_tafel:relay_x_total 1\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1a", "a-b", "a:b", "__reserved"})
  void refusesInvalidLabelNames(String label) {
    MetricsRegistry registry = new MetricsRegistry();
    assertThrows(IllegalArgumentException.class, () -> registry.counter("x", "H.", label, "v"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "with space",
        "quote\"",
        "back\\slash",
        "new\nline",
        "user@example.org",
        "2001:db8::1",
        "ä",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void refusesLabelValuesThatCouldBeIdentifiers(String value) {
    MetricsRegistry registry = new MetricsRegistry();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> registry.counter("x", "H.", "kind", value));
    assertTrue(e.getMessage().contains("identifiers must not be labels"), e.getMessage());
  }

  @Test
  void acceptsLabelValuesUpTo64ConstantCharacters() {
    MetricsRegistry registry = new MetricsRegistry();
    String value = "A-z_0.9" + "x".repeat(57);
    assertEquals(64, value.length());
    registry.counter("x", "H.", "kind", value).increment();
    assertTrue(render(registry).contains("x{kind=\"" + value + "\"} 1\n"));
  }

  @Test
  void refusesOddOrDuplicateLabelPairs() {
    MetricsRegistry registry = new MetricsRegistry();
    assertThrows(IllegalArgumentException.class, () -> registry.counter("x", "H.", "kind"));
    assertThrows(
        IllegalArgumentException.class,
        () -> registry.counter("x", "H.", "kind", "a", "kind", "b"));
  }

  @Test
  void refusesNegativeCounterIncrements() {
    Counter c = new MetricsRegistry().counter("x_total", "H.");
    assertThrows(IllegalArgumentException.class, () -> c.add(-1));
    assertEquals(0, c.get());
  }

  @Test
  void sumsConcurrentIncrementsExactly() throws Exception {
    MetricsRegistry registry = new MetricsRegistry();
    int threads = 8;
    int perThread = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  // Registration races too: every thread must get the same counter.
                  Counter c = registry.counter("x_total", "H.", "kind", "a");
                  for (int i = 0; i < perThread; i++) {
                    if (i % 2 == 0) {
                      c.increment();
                    } else {
                      c.add(1);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals((long) threads * perThread, registry.counter("x_total", "H.", "kind", "a").get());
    assertTrue(render(registry).endsWith("x_total{kind=\"a\"} " + threads * perThread + "\n"));
  }
}
