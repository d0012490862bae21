package org.tafel.client.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.blob.testing.BlobFixture;
import org.tafel.client.testing.CuttingProxy;

/** {@link BlobClient} against a real {@link org.tafel.blob.BlobServer} on loopback. */
class BlobClientTest {
  private static final int CHUNK = 256 * 1024;
  private static final BlobClient.Tuning TUNING =
      BlobClient.Tuning.defaults()
          .withChunkSize(CHUNK)
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));

  private final SecureRandom random = new SecureRandom();
  @TempDir Path dir;
  private BlobFixture store;

  @BeforeEach
  void start() throws Exception {
    store = new BlobFixture(Files.createDirectory(dir.resolve("store")));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private BlobClient client(int port) {
    return new BlobClient(URI.create("http://127.0.0.1:" + port), TUNING, Clock.systemUTC());
  }

  private OutgoingFile worksheet(int size) throws Exception {
    byte[] b = new byte[size];
    random.nextBytes(b);
    Path p = Files.write(dir.resolve("Arbeitsblatt.pdf"), b);
    return OutgoingFile.prepare(p, random);
  }

  private static byte[] ciphertext(OutgoingFile f) throws Exception {
    try (InputStream in = f.ciphertext(0)) {
      return in.readAllBytes();
    }
  }

  /** The stored blob, fetched directly from the store (not through any proxy). */
  private byte[] stored(String blobId) {
    var r = store.send(store.request("/v1/blobs/" + blobId).GET());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /** A source that records the offsets it was opened at. */
  private static OutgoingFile.Source recording(OutgoingFile f, List<Long> opened) {
    return offset -> {
      opened.add(offset);
      return f.ciphertext(offset);
    };
  }

  @Test
  void aMultiChunkEncryptedFileMakesTheRoundTripAndDecryptsToTheOriginal() throws Exception {
    OutgoingFile f = worksheet(1_000_000);
    List<long[]> seen = new CopyOnWriteArrayList<>();
    BlobClient.UploadResult up;
    Path blob = dir.resolve("blob.bin");
    try (BlobClient c = client(store.port())) {
      up =
          c.upload(
              f.source(),
              f.ciphertextSize(),
              store.token(),
              new BlobClient.UploadOptions(Duration.ofDays(2), null),
              (d, t) -> seen.add(new long[] {d, t}));
      assertTrue(up.blobId().matches("[0-9a-f]{32}"));
      assertEquals(f.ciphertextSize(), up.size());
      // The store's test clock stands still; the expiry is its now + 2 days, sent as
      // Tafel-Expires-At
      assertEquals(store.clock.instant().plus(Duration.ofDays(2)), up.expiresAt());
      c.download(up.blobId(), blob, ProgressListener.NONE);
    }
    assertTrue(f.ciphertextSize() > 3L * CHUNK, "several PATCHes");
    assertArrayEquals(ciphertext(f), Files.readAllBytes(blob));
    Path out = Files.createDirectory(dir.resolve("in"));
    Path saved;
    try (InputStream in = Files.newInputStream(blob)) {
      saved = ReceivedFiles.save(in, FileMessage.fromJson(f.message(up.blobId()).toJson()), out);
    }
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("Arbeitsblatt.pdf")), Files.readAllBytes(saved));
    // progress: starts at 0, never goes back, ends once at the total
    assertEquals(0, seen.get(0)[0]);
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i)[0] > seen.get(i - 1)[0], "monotonic");
    }
    long[] last = seen.get(seen.size() - 1);
    assertEquals(last[1], last[0]);
    assertEquals(1, seen.stream().filter(p -> p[0] == p[1]).count());
  }

  @Test
  void anUploadCutMidTransferResumesFromTheServersOffsetAndStoresTheCiphertext() throws Exception {
    OutgoingFile f = worksheet(1_500_000);
    List<Long> opened = new ArrayList<>();
    BlobClient.UploadResult up;
    // cut in the middle of the third PATCH
    try (CuttingProxy proxy =
            new CuttingProxy(store.port(), CuttingProxy.Direction.TO_SERVER, 2 * CHUNK + 100_000);
        BlobClient c = client(proxy.port())) {
      up =
          c.upload(
              recording(f, opened),
              f.ciphertextSize(),
              store.token(),
              BlobClient.UploadOptions.DEFAULTS,
              ProgressListener.NONE);
      assertEquals(1, proxy.cuts());
    }
    assertEquals(2, opened.size(), "opened at " + opened);
    assertEquals(0L, opened.get(0));
    // resumed where the server was (a whole chunk: the cut chunk's checksum could not match), not 0
    assertEquals(2L * CHUNK, opened.get(1));
    assertArrayEquals(ciphertext(f), stored(up.blobId()));
  }

  @Test
  void whenTheResponseCompletingAnUploadIsLostTheHeadReturnsTheBlob() throws Exception {
    byte[] data = BlobFixture.random(100_000);
    List<Long> opened = new ArrayList<>();
    OutgoingFile.Source source =
        offset -> {
          opened.add(offset);
          return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
        };
    // one creation and one PATCH: measure what the server answers to both (same sizes each time)
    long answers;
    try (CuttingProxy measure =
            new CuttingProxy(store.port(), CuttingProxy.Direction.TO_CLIENT, Long.MAX_VALUE);
        BlobClient c = client(measure.port())) {
      c.upload(
          source,
          data.length,
          store.token(),
          BlobClient.UploadOptions.DEFAULTS,
          ProgressListener.NONE);
      answers = measure.passed(CuttingProxy.Direction.TO_CLIENT);
    }
    opened.clear();
    BlobClient.UploadResult up;
    // cut 20 bytes before the end of the PATCH's answer, which carries the blob ID
    try (CuttingProxy proxy =
            new CuttingProxy(store.port(), CuttingProxy.Direction.TO_CLIENT, answers - 20);
        BlobClient c = client(proxy.port())) {
      up =
          c.upload(
              source,
              data.length,
              store.token(),
              BlobClient.UploadOptions.DEFAULTS,
              ProgressListener.NONE);
      assertEquals(1, proxy.cuts());
      assertTrue(
          Pattern.compile("(?i)HEAD /v1/uploads/[0-9a-f]{32} ").matcher(proxy.sentText()).find(),
          proxy.sentText());
    }
    assertEquals(List.of(0L), opened, "nothing sent twice");
    assertArrayEquals(data, stored(up.blobId()));
  }

  @Test
  void aDownloadCutMidTransferResumesWithRangeAndIfRange() throws Exception {
    OutgoingFile f = worksheet(1_200_000);
    BlobClient.UploadResult up;
    try (BlobClient c = client(store.port())) {
      up =
          c.upload(
              f.source(),
              f.ciphertextSize(),
              store.token(),
              BlobClient.UploadOptions.DEFAULTS,
              ProgressListener.NONE);
    }
    Path blob = dir.resolve("blob.bin");
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (CuttingProxy proxy =
            new CuttingProxy(store.port(), CuttingProxy.Direction.TO_CLIENT, 500_000);
        BlobClient c = client(proxy.port())) {
      c.download(up.blobId(), blob, (d, t) -> seen.add(d));
      assertEquals(1, proxy.cuts());
      String requests = proxy.sentText();
      assertTrue(
          Pattern.compile("(?i)range: bytes=[1-9][0-9]*-\r\n").matcher(requests).find(), requests);
      assertTrue(
          Pattern.compile("(?i)if-range: \"" + up.blobId() + "\"").matcher(requests).find(),
          requests);
    }
    assertArrayEquals(ciphertext(f), Files.readAllBytes(blob));
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i) > seen.get(i - 1), "monotonic");
    }
    assertEquals(f.ciphertextSize(), (long) seen.get(seen.size() - 1));
  }

  @Test
  void doneWithOneDownloadMakesTheBlob404() throws Exception {
    byte[] data = BlobFixture.random(100_000);
    try (BlobClient c = client(store.port())) {
      BlobClient.UploadResult up =
          c.upload(
              offset -> new ByteArrayInputStream(data, (int) offset, data.length - (int) offset),
              data.length,
              store.token(),
              new BlobClient.UploadOptions(null, 1),
              ProgressListener.NONE);
      Path blob = dir.resolve("blob.bin");
      c.download(up.blobId(), blob, ProgressListener.NONE);
      assertArrayEquals(data, Files.readAllBytes(blob));
      c.done(up.blobId());
      BlobException gone =
          assertThrows(
              BlobException.class, () -> c.download(up.blobId(), blob, ProgressListener.NONE));
      assertEquals(404, gone.status());
      assertEquals(404, assertThrows(BlobException.class, () -> c.done(up.blobId())).status());
    }
  }

  @Test
  void aBadUploadTokenIsABlobExceptionWith401() throws Exception {
    byte[] data = BlobFixture.random(1000);
    String token = store.token();
    int sig = token.lastIndexOf('.') + 1;
    String forged =
        token.substring(0, sig) + (token.charAt(sig) == 'A' ? 'B' : 'A') + token.substring(sig + 1);
    try (BlobClient c = client(store.port())) {
      for (String bad : List.of("ut1.nonsense", forged)) {
        BlobException e =
            assertThrows(
                BlobException.class,
                () ->
                    c.upload(
                        offset -> new ByteArrayInputStream(data),
                        data.length,
                        bad,
                        BlobClient.UploadOptions.DEFAULTS,
                        ProgressListener.NONE));
        assertEquals(401, e.status());
      }
    }
    assertTrue(store.files("uploads").isEmpty());
  }

  @Test
  void theDeleteTokenDeletesTheBlobAndAWrongOneIsRefused() throws Exception {
    byte[] data = BlobFixture.random(1000);
    try (BlobClient c = client(store.port())) {
      BlobClient.UploadResult up =
          c.upload(
              offset -> new ByteArrayInputStream(data),
              data.length,
              store.token(),
              BlobClient.UploadOptions.DEFAULTS,
              ProgressListener.NONE);
      BlobException wrong =
          assertThrows(BlobException.class, () -> c.delete(up.blobId(), "AAAAAAAAAAAAAAAAAAAAAA"));
      assertTrue(wrong.status() == 401 || wrong.status() == 403, "status " + wrong.status());
      c.delete(up.blobId(), up.deleteToken());
      assertEquals(
          404,
          assertThrows(
                  BlobException.class,
                  () -> c.download(up.blobId(), dir.resolve("x"), ProgressListener.NONE))
              .status());
    }
  }

  @Test
  void anEmptyFileIsOneSealedChunk() throws Exception {
    OutgoingFile f = worksheet(0);
    try (BlobClient c = client(store.port())) {
      BlobClient.UploadResult up =
          c.upload(
              f.source(),
              f.ciphertextSize(),
              store.token(),
              BlobClient.UploadOptions.DEFAULTS,
              ProgressListener.NONE);
      assertArrayEquals(ciphertext(f), stored(up.blobId()));
    }
  }

  @Test
  void talksHttpsTrustingTheGivenCertificateAndRefusesAServerItDoesNotTrust() throws Exception {
    io.netty.handler.ssl.util.SelfSignedCertificate cert =
        new io.netty.handler.ssl.util.SelfSignedCertificate("localhost", "EC", 256);
    org.tafel.blob.BlobServer tls =
        new org.tafel.blob.BlobServer(
            org.tafel.blob.BlobConfig.defaults(
                    Files.createDirectory(dir.resolve("tls")), BlobFixture.KEYS)
                .withPort(0)
                .withTls(cert.certificate().toPath(), cert.privateKey().toPath()),
            new org.tafel.protocol.metrics.MetricsRegistry(),
            store.clock);
    tls.start();
    try {
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("blob", cert.cert());
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      URI base = URI.create("https://localhost:" + tls.port());
      byte[] data = BlobFixture.random(300_000);
      try (BlobClient c = new BlobClient(base, TUNING, Clock.systemUTC(), ssl)) {
        BlobClient.UploadResult up =
            c.upload(
                offset -> new ByteArrayInputStream(data, (int) offset, data.length - (int) offset),
                data.length,
                store.token(),
                BlobClient.UploadOptions.DEFAULTS,
                ProgressListener.NONE);
        Path blob = dir.resolve("blob.bin");
        c.download(up.blobId(), blob, ProgressListener.NONE);
        assertArrayEquals(data, Files.readAllBytes(blob));
      }
      // the JDK's default trust store does not know the self-signed certificate
      try (BlobClient c = new BlobClient(base, TUNING.withMaxAttempts(1), Clock.systemUTC())) {
        java.io.IOException e =
            assertThrows(
                java.io.IOException.class,
                () ->
                    c.upload(
                        offset -> new ByteArrayInputStream(data),
                        data.length,
                        store.token(),
                        BlobClient.UploadOptions.DEFAULTS,
                        ProgressListener.NONE));
        assertTrue(
            e.getCause() instanceof javax.net.ssl.SSLHandshakeException,
            String.valueOf(e.getCause()));
      }
    } finally {
      tls.close();
      cert.delete();
    }
  }

  @Test
  void aBusyNodesAnswer503IsRetriedUntilTheSlotFrees() throws Exception {
    try (BlobFixture busy =
            new BlobFixture(
                Files.createDirectory(dir.resolve("busy")),
                org.tafel.blob.BlobConfig.Limits.defaults().withConcurrentUploads(1));
        java.net.Socket holder = new java.net.Socket("127.0.0.1", busy.port())) {
      // another upload's body is arriving, slowly: it holds the node's only upload slot
      holder
          .getOutputStream()
          .write(
              ("POST /v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + busy.token()
                      + "\r\nContent-Length: 1000000\r\n\r\n"
                      + "x".repeat(1000))
                  .getBytes(StandardCharsets.US_ASCII));
      holder.getOutputStream().flush();
      awaitMetric(busy, "tafel_blob_uploads_in_progress 1");
      // free the slot as soon as our upload was refused once
      Thread releaser =
          new Thread(
              () -> {
                awaitMetric(busy, "outcome=\"busy\"");
                try {
                  holder.close();
                } catch (java.io.IOException ignored) {
                  // closed
                }
              });
      releaser.start();
      byte[] data = BlobFixture.random(200_000);
      List<Long> opened = new ArrayList<>();
      try (BlobClient c =
          new BlobClient(
              URI.create("http://127.0.0.1:" + busy.port()),
              TUNING.withMaxAttempts(100),
              Clock.systemUTC())) {
        BlobClient.UploadResult up =
            c.upload(
                offset -> {
                  opened.add(offset);
                  return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
                },
                data.length,
                busy.token(),
                BlobClient.UploadOptions.DEFAULTS,
                ProgressListener.NONE);
        releaser.join(10_000);
        assertTrue(opened.size() >= 2, "reopened after the 503: " + opened);
        var r = busy.send(busy.request("/v1/blobs/" + up.blobId()).GET());
        assertArrayEquals(data, r.body());
      }
    }
  }

  private static void awaitMetric(BlobFixture f, String line) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      StringBuilder text = new StringBuilder();
      f.metrics.writeText(text);
      if (text.toString().lines().anyMatch(l -> l.contains(line) && !l.endsWith(" 0"))) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no metric line with " + line);
  }

  @Test
  void givesUpAfterTheConfiguredAttemptsWhenNothingAnswers() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    List<Long> opened = new ArrayList<>();
    try (BlobClient c =
        new BlobClient(
            URI.create("http://127.0.0.1:" + closed),
            TUNING.withMaxAttempts(3),
            Clock.systemUTC())) {
      java.io.IOException up =
          assertThrows(
              java.io.IOException.class,
              () ->
                  c.upload(
                      offset -> {
                        opened.add(offset);
                        return new ByteArrayInputStream(new byte[10]);
                      },
                      10,
                      store.token(),
                      BlobClient.UploadOptions.DEFAULTS,
                      ProgressListener.NONE));
      assertTrue(up.getMessage().contains("gave up after 3 failed attempts"), up.getMessage());
      assertEquals(List.of(), opened, "no upload was created, so nothing was read");
      java.io.IOException down =
          assertThrows(
              java.io.IOException.class,
              () ->
                  c.download(
                      "0123456789abcdef0123456789abcdef", dir.resolve("x"), ProgressListener.NONE));
      assertTrue(down.getMessage().contains("gave up after 3 failed attempts"), down.getMessage());
    }
  }

  @Test
  void refusesBlobIdsThatAreNotIds() {
    try (BlobClient c = client(store.port())) {
      for (String id : List.of("../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF", "")) {
        assertThrows(IllegalArgumentException.class, () -> c.done(id));
      }
    }
  }
}
