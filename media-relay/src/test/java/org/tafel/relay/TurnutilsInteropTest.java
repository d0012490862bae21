package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with coturn's own clients (Debian package {@code coturn}): nobody here wrote them. The
 * tools must be installed ({@code ./tafel test} installs them); a missing tool fails the test.
 */
class TurnutilsInteropTest {

  static Process start(String... cmd) throws IOException {
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  static String run(long timeoutSeconds, String... cmd) throws Exception {
    Process p = start(cmd);
    p.getOutputStream().close();
    byte[] out;
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      out = p.getInputStream().readAllBytes();
      fail(cmd[0] + " did not finish in " + timeoutSeconds + " s:\n" + tail(out));
    }
    out = p.getInputStream().readAllBytes();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String tail(byte[] out) {
    String s = new String(out, StandardCharsets.UTF_8);
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  static long lost(String uclientOutput) {
    Matcher m = Pattern.compile("Total lost packets (\\d+)").matcher(uclientOutput);
    long lost = -1;
    while (m.find()) {
      lost = Long.parseLong(m.group(1));
    }
    return lost;
  }

  static long sent(String uclientOutput) {
    Matcher m = Pattern.compile("tot_send_msgs=(\\d+)").matcher(uclientOutput);
    long sent = -1;
    while (m.find()) {
      sent = Long.parseLong(m.group(1));
    }
    return sent;
  }

  private void relaysWithoutLoss(boolean tcp) throws Exception {
    try (RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start()) {
      int peerPort = freeUdpPort();
      Process peer = start("turnutils_peer", "-L", "127.0.0.1", "-p", Integer.toString(peerPort));
      try {
        List<String> cmd = new ArrayList<>(List.of("turnutils_uclient", "-c"));
        if (tcp) {
          cmd.add("-t");
        }
        cmd.addAll(
            List.of(
                "-W",
                RelayFixture.SECRET,
                "-e",
                "127.0.0.1",
                "-r",
                Integer.toString(peerPort),
                "-n",
                "1000",
                "-m",
                "10",
                "-l",
                "1200",
                "-p",
                Integer.toString(relay.port()),
                "127.0.0.1"));
        String out = run(120, cmd.toArray(String[]::new));
        assertEquals(0, lost(out), "lost packets; uclient said:\n" + out);
        assertEquals(10_000, sent(out), "uclient did not send everything:\n" + out);
        assertTrue(
            relay.metric("tafel_relay_packets_total{direction=\"client_to_peer\"}") >= 10_000,
            relay.metricsText());
        assertTrue(
            relay.metric("tafel_relay_packets_total{direction=\"peer_to_client\"}") >= 10_000);
        assertEquals(0, relay.metric("tafel_relay_payload_copies_total"));
      } finally {
        peer.destroyForcibly();
      }
    }
  }

  @Test
  @Timeout(180)
  void relaysTenThousandDatagramsOverUdpWithoutLoss() throws Exception {
    relaysWithoutLoss(false);
  }

  @Test
  @Timeout(180)
  void relaysTenThousandDatagramsOverTcpWithoutLoss() throws Exception {
    relaysWithoutLoss(true);
  }

  @Test
  @Timeout(60)
  void stunClientGetsItsMappedAddress() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().start()) {
      String out =
          run(30, "turnutils_stunclient", "-p", Integer.toString(relay.port()), "127.0.0.1");
      assertTrue(out.contains("127.0.0.1"), out);
      assertTrue(!out.toLowerCase().contains("error"), out);
    }
  }
}
