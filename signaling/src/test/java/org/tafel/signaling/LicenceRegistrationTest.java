package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.signaling.store.Licence;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/** Licence-code registration and revocation, with the admin working while the server runs. */
@ExtendWith(NettyLeakDetectorExtension.class)
class LicenceRegistrationTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @Test
  void licenceCodeRegistersOneIdentityAndRevokingItRevokesTheIdentityAndItsQueue()
      throws Exception {
    try (SignalingFixture f =
        SignalingFixture.start(dir, b -> b.registration(SignalingConfig.Registration.LICENCE, 0))) {
      List<String> codes;
      try (SignalingAdmin admin = SignalingAdmin.open(dir, Clock.systemUTC())) {
        codes = admin.createLicences(2);
      }
      assertTrue(codes.get(0).matches("[A-Z2-9]{4}(-[A-Z2-9]{4}){3}"), codes.get(0));
      X25519.KeyPair key = X25519.generate(RANDOM);
      String id;
      try (WsClient c = f.connect()) {
        ServerFrame.Hello hello = c.hello();
        assertEquals("licence", hello.registration());
        c.send(c.registerFrame(key, null));
        c.expectError(ErrorCode.BAD_LICENCE);
      }
      try (WsClient c = f.connect()) {
        // codes are accepted in any case, with or without dashes
        id = c.register(key, codes.get(0).toLowerCase().replace("-", ""));
      }
      try (WsClient c = f.connect()) {
        c.hello();
        c.send(c.registerFrame(X25519.generate(RANDOM), codes.get(0)));
        c.expectError(ErrorCode.BAD_LICENCE); // used
      }
      try (WsClient sender = f.connect()) {
        sender.register(X25519.generate(RANDOM), codes.get(1));
        sender.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, id);
        sender.expect(ServerFrame.Sent.class);
        assertEquals(1, f.storedEnvelopes());
        try (SignalingAdmin admin = SignalingAdmin.open(dir, Clock.systemUTC())) {
          List<Licence> list = admin.licences();
          assertEquals(2, list.size());
          assertTrue(list.stream().allMatch(l -> l.usedBy() != null));
          assertTrue(admin.revokeLicence(codes.get(0)));
          assertFalse(admin.revokeLicence("AAAA-AAAA-AAAA-AAAA"));
        }
        assertEquals(0, f.storedEnvelopes()); // the revoked identity's queue is deleted
        sender.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, id);
        sender.expectError(ErrorCode.UNKNOWN_RECIPIENT);
      }
      try (WsClient c = f.connect()) {
        c.hello();
        c.send(c.loginFrame(id, key));
        c.expectError(ErrorCode.REVOKED);
      }
    }
  }

  @Test
  void revokedIdentityIsClosedAtItsNextSend() throws Exception {
    try (SignalingFixture f = SignalingFixture.start(dir);
        WsClient c = f.connect();
        WsClient other = f.connect()) {
      String id = c.register(X25519.generate(RANDOM), null);
      String to = other.register(X25519.generate(RANDOM), null);
      try (SignalingAdmin admin = SignalingAdmin.open(dir, Clock.systemUTC())) {
        assertTrue(admin.revokeIdentity(id));
        assertFalse(admin.revokeIdentity(id));
      }
      c.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, to);
      c.expectError(ErrorCode.REVOKED);
      assertEquals(CloseCodes.REVOKED, c.awaitClose());
      other.send(new ClientFrame.Lookup("1", id));
      other.expectError(ErrorCode.UNKNOWN_IDENTITY);
    }
  }
}
