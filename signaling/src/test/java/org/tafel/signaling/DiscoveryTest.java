package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.ContactDiscovery;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/** Contact discovery: opt-in hashes match; probes are budgeted per day and never stored. */
@ExtendWith(NettyLeakDetectorExtension.class)
class DiscoveryTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @Test
  void findableIdentitiesMatchProbesWhichAreNeitherStoredNorUnbudgeted() throws Exception {
    try (SignalingFixture f =
        SignalingFixture.start(
            dir, b -> b.limits(SignalingConfig.Limits.defaults().withDiscoveryProbesPerDay(5)))) {
      X25519.KeyPair teacherKey = X25519.generate(RANDOM);
      String teacher;
      byte[] key;
      try (WsClient t = f.connect()) {
        teacher = t.register(teacherKey, null);
        t.send(new ClientFrame.Lookup("x", teacher));
        t.expect(ServerFrame.Key.class);
      }
      try (WsClient t = f.connect()) {
        key = t.login(teacher, teacherKey).discoveryKey();
        byte[] mine =
            ContactDiscovery.hash(
                key, ContactDiscovery.email(" Frau.Weber@Schule.example ").orElseThrow());
        t.send(new ClientFrame.Findable("1", List.of(mine)));
        assertEquals(1, t.expect(ServerFrame.FindableSet.class).count());
      }
      try (WsClient p = f.connect()) {
        p.register(X25519.generate(RANDOM), null);
        byte[] probe =
            ContactDiscovery.hash(
                key, ContactDiscovery.email("frau.weber@schule.example").orElseThrow());
        byte[] miss =
            ContactDiscovery.hash(
                key, ContactDiscovery.phone("+49 30 1234567", null).orElseThrow());
        p.send(new ClientFrame.Discover("2", List.of(probe, miss)));
        ServerFrame.Discovered d = p.expect(ServerFrame.Discovered.class);
        assertEquals(1, d.matches().size());
        assertEquals(teacher, d.matches().get(0).identity());
        assertArrayEquals(teacherKey.publicKey(), d.matches().get(0).publicKey());

        // repeated probes are free; new ones spend the budget (5 a day)
        p.send(new ClientFrame.Discover("3", List.of(probe, miss)));
        p.expect(ServerFrame.Discovered.class);
        List<byte[]> fresh = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          byte[] h = new byte[32];
          RANDOM.nextBytes(h);
          fresh.add(h);
        }
        p.send(new ClientFrame.Discover("4", fresh));
        p.expectError(ErrorCode.DISCOVERY_BUDGET);
        p.send(new ClientFrame.Discover("5", fresh.subList(0, 3)));
        p.expect(ServerFrame.Discovered.class);
        f.clock.advance(Duration.ofDays(1));
        p.send(new ClientFrame.Discover("6", fresh));
        p.expect(ServerFrame.Discovered.class);

        // the probe that matched nobody is nowhere on disk
        String missHex = HexFormat.of().formatHex(miss);
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            String content = HexFormat.of().formatHex(Files.readAllBytes(file));
            assertFalse(content.contains(missHex), "probe found in " + file);
          }
        }
      }
    }
  }
}
