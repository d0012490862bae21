package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.stun.StunClass;
import org.tafel.relay.RawTurnClient;
import org.tafel.server.testing.ServerProcess;

/**
 * The relay as an operator starts it ({@code serve}, a child JVM): the peer policy and the
 * admin-port rule hold through the real wiring, and refusals show in {@code /metrics}.
 */
class ServeRelayEndToEndTest {

  private static String metrics(int adminPort) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  @Test
  void refusesNonGlobalPeersAndCountsThemInMetrics(@TempDir Path data) throws Exception {
    try (ServerProcess server = ServerProcess.start(data, "--turn-secret", "s3cret");
        RawTurnClient c = new RawTurnClient(server.turnPort())) {
      c.restUser("s3cret", "teacher");
      assertEquals(StunClass.SUCCESS_RESPONSE, c.allocate().cls());
      String[] refused = {"127.0.0.1", "10.0.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254"};
      for (String ip : refused) {
        assertEquals(403, c.createPermission(new InetSocketAddress(ip, 5000)).errorCode(), ip);
      }
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      mapped[12] = 10;
      mapped[15] = 1;
      assertEquals(
          403,
          c.createPermission(
                  new InetSocketAddress(java.net.Inet6Address.getByAddress(null, mapped, -1), 5000))
              .errorCode());
      assertTrue(
          metrics(server.adminPort()).contains("tafel_relay_denied_peers_total 6"),
          metrics(server.adminPort()));
    }
  }

  @Test
  void refusesTheAdminPortEvenWithLoopbackAllowed(@TempDir Path data) throws Exception {
    try (ServerProcess server =
            ServerProcess.start(data, "--turn-secret", "s3cret", "--allow-peer", "127.0.0.0/8");
        RawTurnClient c = new RawTurnClient(server.turnPort())) {
      c.restUser("s3cret", "teacher");
      assertEquals(StunClass.SUCCESS_RESPONSE, c.allocate().cls());
      InetSocketAddress admin =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.adminPort());
      assertEquals(403, c.channelBind(0x4000, admin).errorCode());
      InetSocketAddress other = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
      assertEquals(0, c.channelBind(0x4001, other).errorCode(), "other loopback ports are fine");
      assertTrue(metrics(server.adminPort()).contains("tafel_relay_denied_peers_total 1"));
    }
  }

  @Test
  void refusesAWrongSecretWith401(@TempDir Path data) throws Exception {
    try (ServerProcess server = ServerProcess.start(data, "--turn-secret", "s3cret");
        RawTurnClient c = new RawTurnClient(server.turnPort())) {
      c.restUser("wrong", "teacher");
      assertEquals(401, c.allocate().errorCode());
      assertTrue(metrics(server.adminPort()).contains("tafel_relay_auth_failures_total 1"));
      assertTrue(metrics(server.adminPort()).contains("tafel_relay_allocations_active 0"));
    }
  }
}
