package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.protocol.testing.TlsProbe;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/** DESIGN.md §2: with a configured certificate, signaling speaks wss and reloads a renewed one. */
@ExtendWith(NettyLeakDetectorExtension.class)
class TlsTest {

  @TempDir Path dir;

  @Test
  void servesWssWithTheConfiguredCertificate() throws Exception {
    SelfSignedCertificate ssc = new SelfSignedCertificate("localhost", "EC", 256);
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.copy(ssc.certificate().toPath(), cert);
    Files.copy(ssc.privateKey().toPath(), key);
    X509Certificate x509;
    try (InputStream in = Files.newInputStream(cert)) {
      x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("tafel", x509);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), new SecureRandom());

    try (SignalingFixture f = SignalingFixture.start(dir.resolve("data"), b -> b.tls(cert, key));
        WsClient c =
            WsClient.connect(ssl, URI.create("wss://localhost:" + f.server.port() + "/v1/ws"))) {
      X25519.KeyPair k = X25519.generate(new SecureRandom());
      String id = c.register(k, null);
      c.send(new ClientFrame.Lookup("1", id));
      ServerFrame.Key answer = c.expect(ServerFrame.Key.class);
      assertEquals(id, answer.identity());
      assertArrayEquals(k.publicKey(), answer.publicKey());
    }
  }

  @Test
  void reloadsARenewedCertificateAndKeepsTheOldOneWhenTheNewDoesNotLoad() throws Exception {
    SelfSignedCertificate first = new SelfSignedCertificate("localhost", "EC", 256);
    SelfSignedCertificate second = new SelfSignedCertificate("localhost", "EC", 256);
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.copy(first.certificate().toPath(), cert);
    Files.copy(first.privateKey().toPath(), key);
    Files.setLastModifiedTime(cert, FileTime.fromMillis(1_000_000_000_000L));
    try (SignalingFixture f = SignalingFixture.start(dir.resolve("data"), b -> b.tls(cert, key))) {
      assertEquals(first.cert().getSerialNumber(), TlsProbe.servedSerial(f.server.port()));
      assertFalse(f.server.reloadCertificateIfChanged(), "nothing changed");
      Files.writeString(key, "not a key");
      Files.setLastModifiedTime(key, FileTime.fromMillis(1_000_000_100_000L));
      assertFalse(f.server.reloadCertificateIfChanged(), "a broken key is not loaded");
      assertEquals(first.cert().getSerialNumber(), TlsProbe.servedSerial(f.server.port()));
      Files.copy(second.certificate().toPath(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.privateKey().toPath(), key, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(key, FileTime.fromMillis(1_000_000_200_000L));
      assertTrue(f.server.reloadCertificateIfChanged());
      assertEquals(second.cert().getSerialNumber(), TlsProbe.servedSerial(f.server.port()));
    }
  }
}
