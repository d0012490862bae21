package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.protocol.token.KeyRing;
import org.tafel.protocol.token.Pseudonyms;
import org.tafel.protocol.token.UploadToken;
import org.tafel.protocol.token.UploadTokens;
import org.tafel.relay.RawTurnClient;
import org.tafel.relay.RelayFixture;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/**
 * Must-show 5: relay credentials from signaling are accepted by a real relay; no identity in them.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class CredentialsTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @Test
  void turnCredentialsAreAcceptedByTheRelayAndCarryNoIdentity() throws Exception {
    byte[] pseudonymKey = new byte[32];
    RANDOM.nextBytes(pseudonymKey);
    try (RelayFixture relay = RelayFixture.builder().start()) {
      String url = "turn:127.0.0.1:" + relay.port() + "?transport=udp";
      try (SignalingFixture f =
              SignalingFixture.start(
                  dir,
                  b ->
                      b.relay(
                          List.of(url),
                          RelayFixture.SECRET.getBytes(StandardCharsets.UTF_8),
                          pseudonymKey));
          WsClient c = f.connect()) {
        String id = c.register(X25519.generate(RANDOM), null);
        c.send(new ClientFrame.TurnCredentials("t1"));
        ServerFrame.TurnCredentials t = c.expect(ServerFrame.TurnCredentials.class);
        assertEquals(List.of(url), t.urls());
        assertTrue(t.username().matches("\\d+:[a-z2-7]{16}"), t.username());
        assertFalse(t.username().toUpperCase().contains(id), "identity in " + t.username());
        assertEquals(
            new Pseudonyms(Pseudonyms.RELAY, pseudonymKey).daily(id, f.clock.instant()),
            t.username().substring(t.username().indexOf(':') + 1));
        long ttl = t.expires() - f.clock.instant().getEpochSecond();
        assertEquals(12 * 3600, ttl);

        // the relay checks the expiry against the wall clock; the fixture's clock starts at now
        try (RawTurnClient turn = new RawTurnClient(relay.port())) {
          turn.staticUser(t.username(), t.password());
          RawTurnClient.Response r = turn.allocate();
          assertEquals(StunClass.SUCCESS_RESPONSE, r.cls(), "error " + r.errorCode());
        }
        try (RawTurnClient forged = new RawTurnClient(relay.port())) {
          forged.staticUser(t.username(), "bm90IHRoZSBwYXNzd29yZA==");
          assertEquals(401, forged.allocate().errorCode());
        }
      }
    }
  }

  @Test
  void turnCredentialsWithoutARelayAreUnavailable() throws Exception {
    try (SignalingFixture f = SignalingFixture.start(dir);
        WsClient c = f.connect()) {
      c.register(X25519.generate(RANDOM), null);
      c.send(new ClientFrame.TurnCredentials("t1"));
      c.expectError(ErrorCode.UNAVAILABLE);
    }
  }

  @Test
  void uploadTokenNamesTheBlobPseudonymAndVerifiesAtTheBlobStore() throws Exception {
    KeyRing keys =
        KeyRing.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    byte[] blobKey = new byte[32];
    RANDOM.nextBytes(blobKey);
    try (SignalingFixture f =
            SignalingFixture.start(
                dir,
                b ->
                    b.uploads(keys, blobKey)
                        .limits(SignalingConfig.Limits.defaults().withMaxUploadBytes(1 << 20)));
        WsClient c = f.connect()) {
      String id = c.register(X25519.generate(RANDOM), null);
      c.send(new ClientFrame.UploadToken("u1", 1000));
      ServerFrame.UploadToken u = c.expect(ServerFrame.UploadToken.class);
      UploadToken claims = new UploadTokens(keys, f.clock).verify(u.token());
      assertEquals(new Pseudonyms(Pseudonyms.BLOB, blobKey).constant(id), claims.sub());
      assertEquals(1000, claims.cap());
      assertFalse(u.token().contains(id));
      c.send(new ClientFrame.UploadToken("u2", (1 << 20) + 1));
      c.expectError(ErrorCode.MALFORMED);
    }
  }
}
