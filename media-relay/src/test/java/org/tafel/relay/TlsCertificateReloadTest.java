package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.testing.TlsProbe;

/** DESIGN.md §2: a configured certificate is reloaded when its files change. */
class TlsCertificateReloadTest {

  private static void install(SelfSignedCertificate c, Path cert, Path key, long mtime)
      throws Exception {
    Files.copy(c.certificate().toPath(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(c.privateKey().toPath(), key, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(cert, FileTime.fromMillis(mtime));
    Files.setLastModifiedTime(key, FileTime.fromMillis(mtime));
  }

  @Test
  void servesARenewedCertificateWithoutRestart(@TempDir Path dir) throws Exception {
    SelfSignedCertificate first = new SelfSignedCertificate("relay.example", "EC", 256);
    SelfSignedCertificate second = new SelfSignedCertificate("relay.example", "EC", 256);
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    install(first, cert, key, 1_000_000_000_000L);
    try (RelayFixture relay = RelayFixture.builder().tls(cert, key).start()) {
      int port = relay.server.turnsPort();
      BigInteger before = TlsProbe.servedSerial(port);
      assertEquals(first.cert().getSerialNumber(), before);
      assertFalse(relay.server.reloadCertificateIfChanged(), "nothing changed yet");

      Files.writeString(key, "not a key");
      Files.setLastModifiedTime(key, FileTime.fromMillis(1_000_000_100_000L));
      assertFalse(relay.server.reloadCertificateIfChanged(), "a broken key is not loaded");
      assertEquals(before, TlsProbe.servedSerial(port), "the old certificate stays in use");

      install(second, cert, key, 1_000_000_200_000L);
      assertTrue(relay.server.reloadCertificateIfChanged());
      BigInteger after = TlsProbe.servedSerial(port);
      assertNotEquals(before, after);
      assertEquals(second.cert().getSerialNumber(), after);
    } finally {
      first.delete();
      second.delete();
    }
  }
}
