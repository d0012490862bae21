package org.tafel.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tafel.protocol.metrics.MetricsRegistry;

class AdminServerTest {
  private final AtomicBoolean relayRunning = new AtomicBoolean(false);
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final HttpClient http = HttpClient.newHttpClient();
  private AdminServer admin;

  @BeforeEach
  void start() throws Exception {
    metrics.counter("tafel_test_total", "A test counter.").add(3);
    JvmMetrics.register(metrics);
    admin =
        new AdminServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            () -> relayRunning.get() ? List.of() : List.of("relay"),
            metrics::writeText);
    admin.start();
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIs503UntilEveryServiceRunsThen200() throws Exception {
    HttpResponse<String> down = send("GET", "/healthz");
    assertEquals(503, down.statusCode());
    assertEquals("not running: relay\n", down.body());
    assertEquals(503, send("GET", "/readyz").statusCode());
    relayRunning.set(true);
    HttpResponse<String> up = send("GET", "/healthz");
    assertEquals(200, up.statusCode());
    assertEquals("ok\n", up.body());
    assertEquals(200, send("GET", "/readyz?verbose=1").statusCode());
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics");
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        r.headers().firstValue("content-type").orElseThrow());
    assertTrue(
        r.body().contains("# TYPE tafel_test_total counter\ntafel_test_total 3\n"), r.body());
    assertTrue(r.body().contains("tafel_jvm_heap_used_bytes "), r.body());
    assertTrue(r.body().contains("tafel_jvm_direct_memory_used_bytes{pool=\"netty\"} "), r.body());
  }

  @Test
  void headAnswersWithHeadersOnly() throws Exception {
    HttpResponse<String> r = send("HEAD", "/metrics");
    assertEquals(200, r.statusCode());
    assertEquals("", r.body());
  }

  @Test
  void unknownPathIs404AndOtherMethodsAre405() throws Exception {
    assertEquals(404, send("GET", "/").statusCode());
    assertEquals(404, send("GET", "/healthz/x").statusCode());
    HttpResponse<String> post = send("POST", "/metrics");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
    assertEquals(405, send("DELETE", "/healthz").statusCode());
  }
}
