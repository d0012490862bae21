package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.stun.StunClass;
import org.tafel.relay.RawTurnClient;
import org.tafel.server.testing.ServerProcess;
import org.tafel.signaling.testing.WsClient;

/**
 * {@code tafel serve} with relay and signaling in one process: the credentials signaling hands out
 * name this process's relay and its generated secret, and the relay accepts them.
 */
class SignalingRelayWiringTest {

  @TempDir Path data;

  @Test
  void turnCredentialsFromSignalingAllocateOnTheRelayOfTheSameServer() throws Exception {
    try (ServerProcess server =
            ServerProcess.start(data, "--only", "relay,signaling", "--pow-bits", "8");
        WsClient c =
            WsClient.connect(URI.create("ws://127.0.0.1:" + server.signalingPort() + "/v1/ws"))) {
      String id = c.register(X25519.generate(new SecureRandom()), null);
      c.send(new ClientFrame.TurnCredentials("1"));
      ServerFrame.TurnCredentials t = c.expect(ServerFrame.TurnCredentials.class);
      assertTrue(
          t.urls().contains("turn:127.0.0.1:" + server.turnPort() + "?transport=udp"),
          "" + t.urls());
      assertTrue(
          t.urls().contains("turns:127.0.0.1:" + server.turnsPort() + "?transport=tcp"),
          "" + t.urls());
      assertFalse(t.username().toUpperCase().contains(id));
      try (RawTurnClient turn = new RawTurnClient(server.turnPort())) {
        turn.staticUser(t.username(), t.password());
        RawTurnClient.Response r = turn.allocate();
        assertEquals(StunClass.SUCCESS_RESPONSE, r.cls(), "error " + r.errorCode());
      }
      assertFalse(server.stderr().contains(id), "identity ID in the log");
    }
  }
}
