package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.ice.IceConfig;
import org.tafel.client.call.ice.IceSession;
import org.tafel.client.call.ice.TurnServer;
import org.tafel.client.call.media.CallStats;
import org.tafel.client.call.media.MediaSession;
import org.tafel.client.call.media.MediaTransport;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;
import org.tafel.client.crypto.MessageCrypto;
import org.tafel.client.crypto.MessageType;
import org.tafel.client.crypto.OpenedMessage;
import org.tafel.client.crypto.Profile;
import org.tafel.client.crypto.ReplayGuard;
import org.tafel.client.crypto.SealedMessage;
import org.tafel.client.files.BlobClient;
import org.tafel.client.files.FileMessage;
import org.tafel.client.files.OutgoingFile;
import org.tafel.client.files.ProgressListener;
import org.tafel.client.files.ReceivedFiles;
import org.tafel.client.signaling.SignalingClient;
import org.tafel.client.signaling.SignalingListener;
import org.tafel.protocol.signaling.ClientFrame;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.stun.TurnCredentials;
import org.tafel.server.config.GeneratedSecrets;
import org.tafel.server.testing.ByteScan;
import org.tafel.server.testing.ServerProcess;

/**
 * Issue 5, must-show 3: with {@code tafel serve} as its own process, plaintext canaries sent the
 * way the client SDK sends them — (a) inside a file encrypted with {@code ChunkedFileCipher} and
 * uploaded with {@link BlobClient} (and in the file's name, inside the sealed {@code file}
 * message), (b) in the payload of SRTP call media between two ice4j agents through the server's
 * relay, (c) in a text message sent with the SDK's {@link SignalingClient} (looked up, sealed with
 * {@link MessageCrypto}, {@code sent} awaited; received, opened and acknowledged by Bob's client)
 * through the server's signaling — appear nowhere in the server's data directory, its stdout and
 * stderr, {@code /metrics}, a heap dump ({@code jcmd GC.heap_dump -all}) or a core dump ({@code
 * gcore}) of the process, by byte search ({@link ByteScan#needles}: UTF-8, UTF-16, hex, base64).
 * Each search first finds a positive control in the same bytes, so a scan that reads nothing cannot
 * pass.
 *
 * <p>The {@code file} message is sealed by the test (its box is the positive control on disk) and
 * sent by the same signaling client.
 */
class ClientCanaryPrivacyTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String TAG = HexFormat.of().formatHex(bytes(6));
  private static final String FILE_CANARY = "CANARY-file-Zeugnis-Klasse-7b-" + TAG;
  private static final String MESSAGE_CANARY = "CANARY-message-Elterngespraech-" + TAG;
  private static final String MEDIA_CANARY = "CANARY-media-Mathe-Muendlich-" + TAG;

  @TempDir Path tmp;

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Every canary in every form, named "file utf-8", "media base64+1", ... */
  private static Map<String, byte[]> canaryNeedles() {
    Map<String, byte[]> n = new LinkedHashMap<>();
    for (var c :
        Map.of("file", FILE_CANARY, "message", MESSAGE_CANARY, "media", MEDIA_CANARY).entrySet()) {
      ByteScan.needles(c.getValue()).forEach((form, b) -> n.put(c.getKey() + " " + form, b));
    }
    return n;
  }

  private static Map<String, byte[]> ascii(Map<String, String> m) {
    Map<String, byte[]> n = new LinkedHashMap<>();
    m.forEach((k, v) -> n.put(k, v.getBytes(StandardCharsets.US_ASCII)));
    return n;
  }

  /** The SDK's signaling client for {@code p}: registers on first use, else logs in. */
  private static SignalingClient signaling(
      URI ws, Profile p, MessageCrypto crypto, SignalingListener listener) throws Exception {
    return SignalingClient.start(SignalingClient.Config.of(ws, null), p, crypto, listener);
  }

  private static MessageCrypto crypto(Profile p) {
    return new MessageCrypto(
        p, new ReplayGuard(100), Clock.systemUTC(), RANDOM, MessageCrypto.Limits.defaults());
  }

  private static String get(URI uri) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  private static String run(List<String> command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run " + command.get(0) + " (./tafel test installs gdb for gcore): " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), command + " still running");
    assertEquals(0, p.exitValue(), command + ":\n" + out);
    return out;
  }

  @Test
  @Timeout(600)
  void canariesInAFileAMessageAndCallMediaAreNowhereInTheServersDataLogsMetricsHeapOrCore()
      throws Exception {
    Path data = tmp.resolve("data");
    Map<String, byte[]> canaries = canaryNeedles();
    Profile aliceProfile = Profile.create(tmp.resolve("alice"), RANDOM);
    Profile bobProfile = Profile.create(tmp.resolve("bob"), RANDOM);
    MessageCrypto alice = crypto(aliceProfile);
    MessageCrypto bob = crypto(bobProfile);
    String aliceId;
    String bobId;
    String blobId;
    byte[] queuedBox;
    byte[] ciphertextSample;
    String metrics;

    try (ServerProcess server =
        ServerProcess.start(
            // a small process, so that its core dump stays small: heap, class space, code
            // cache and glibc's malloc arenas (64 MiB of address space each) bounded
            List.of(
                "-Xmx128m", "-XX:CompressedClassSpaceSize=64m", "-XX:ReservedCodeCacheSize=48m"),
            Map.of("MALLOC_ARENA_MAX", "2"),
            data,
            "--registration",
            "open",
            "--pow-bits",
            "4",
            "--allow-peer",
            "127.0.0.0/8")) {
      URI ws = URI.create("ws://127.0.0.1:" + server.signalingPort() + "/v1/ws");
      URI admin = URI.create("http://127.0.0.1:" + server.adminPort());
      try (SignalingClient b = signaling(ws, bobProfile, bob, m -> {})) {
        bobId = b.identity();
      }

      // (a) a file whose content and name carry the canary, encrypted and uploaded with tus
      Path original = Files.createDirectory(tmp.resolve("out")).resolve(FILE_CANARY + ".txt");
      StringBuilder text = new StringBuilder();
      for (int i = 0; text.length() < 3_000_000; i++) {
        text.append(FILE_CANARY).append(" Zeile ").append(i).append('\n');
      }
      Files.writeString(original, text, StandardCharsets.UTF_8);
      OutgoingFile file = OutgoingFile.prepare(original, RANDOM);
      String token = ServeBlobEndToEndTest.uploadToken(data);
      BlobClient.UploadResult up;
      try (BlobClient blobs = new BlobClient(URI.create("http://127.0.0.1:" + server.blobPort()))) {
        up =
            blobs.upload(
                file.source(),
                file.ciphertextSize(),
                token,
                BlobClient.UploadOptions.DEFAULTS,
                ProgressListener.NONE);
      }
      blobId = up.blobId();
      try (InputStream in = file.ciphertext(1_000_000)) {
        ciphertextSample = in.readNBytes(64);
      }

      // (c) a text message, and the file message (name, key, hash), sealed for Bob while he is
      // offline so the envelopes wait in the server's store
      // through the SDK's signaling client: lookup (pinned), seal, send, `sent` awaited
      try (SignalingClient a = signaling(ws, aliceProfile, alice, m -> {})) {
        aliceId = a.identity();
        a.send(
            List.of(bobId),
            MessageType.TEXT,
            (MESSAGE_CANARY + ": Termin am Donnerstag").getBytes(StandardCharsets.UTF_8));
        // sealed here (its box is the positive control below), sent by the same client
        SealedMessage fileMessage =
            alice.seal(
                bobId, bobProfile.publicKey(), MessageType.FILE, file.message(blobId).toJson());
        a.sendSealed(
            fileMessage.messageId(),
            List.of(
                new ClientFrame.Recipient(bobId, fileMessage.nonce(), fileMessage.ciphertext())),
            QueueClass.NORMAL);
        queuedBox = fileMessage.ciphertext();
      }
      // positive controls on disk: the queued box in the store, the file's ciphertext as the blob
      Map<String, List<String>> onDisk =
          ByteScan.filesContaining(
              data, Map.of("queued box", queuedBox, "file ciphertext", ciphertextSample));
      assertEquals(
          2,
          onDisk.values().stream().flatMap(List::stream).distinct().count(),
          "positive controls on disk: " + onDisk);
      assertEquals(Map.of(), ByteScan.filesContaining(data, canaries), "canary on disk");

      // Bob receives both, opens them with his keys, downloads and decrypts the file
      BlockingQueue<OpenedMessage> received = new LinkedBlockingQueue<>();
      try (SignalingClient b = signaling(ws, bobProfile, bob, received::add);
          BlobClient blobs = new BlobClient(URI.create("http://127.0.0.1:" + server.blobPort()))) {
        for (int i = 0; i < 2; i++) {
          // opened, checked and acknowledged by the signaling client
          OpenedMessage m = received.poll(30, TimeUnit.SECONDS);
          assertTrue(m != null, "message " + (i + 1) + " of 2 did not arrive");
          if (m.type() == MessageType.TEXT) {
            assertTrue(
                new String(m.body(), StandardCharsets.UTF_8).startsWith(MESSAGE_CANARY),
                "the message canary travelled");
          } else {
            FileMessage fm = FileMessage.fromJson(m.body());
            Path blob = tmp.resolve("blob.bin");
            blobs.download(fm.blobId(), blob, ProgressListener.NONE);
            Path saved;
            try (InputStream in = Files.newInputStream(blob)) {
              saved = ReceivedFiles.save(in, fm, Files.createDirectory(tmp.resolve("in")));
            }
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(saved));
            assertEquals(original.getFileName(), saved.getFileName(), "the name travelled");
            blobs.done(fm.blobId());
          }
        }
      }

      // (b) SRTP media whose payloads start with the canary, relayed by the server's relay
      CallStats[] stats = call(data, server.turnPort());
      for (CallStats s : stats) {
        for (MediaKind k : MediaKind.values()) {
          assertTrue(s.receivedPackets(k) > 20, k + " through the relay:\n" + s.format());
        }
        assertEquals(0, s.authFailures(), s.format());
      }

      // /metrics
      metrics = get(admin.resolve("/metrics"));
      assertTrue(metrics.contains("tafel_blob_uploads_total"), metrics);
      assertEquals(List.of(), ByteScan.find(metrics.getBytes(StandardCharsets.UTF_8), canaries));

      // what the server does hold, to show each dump is searched: the IDs it stores and routes by
      Map<String, byte[]> held = ascii(Map.of("blob ID", blobId, "Bob's ID", bobId));
      // the heap, unreachable objects included
      Path heap = tmp.resolve("server.hprof");
      run(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
              Long.toString(server.pid()),
              "GC.heap_dump",
              "-all",
              heap.toString()));
      try {
        System.out.printf("heap dump: %,d bytes%n", Files.size(heap));
        assertFoundOnly(held, canaries, heap, "the heap dump");
      } finally {
        Files.deleteIfExists(heap);
      }
      // the whole process memory: native and direct buffers (Netty's pools) too
      Path core = tmp.resolve("server.core");
      Path coreFile = tmp.resolve("server.core." + server.pid());
      run(List.of("gcore", "-o", core.toString(), Long.toString(server.pid())));
      try {
        System.out.printf("core dump: %,d bytes%n", Files.size(coreFile));
        assertFoundOnly(held, canaries, coreFile, "the core dump");
      } finally {
        Files.deleteIfExists(coreFile);
      }
      assertTrue(server.isAlive(), "the server survived the dumps");

      server.closeStdin();
      assertEquals(0, server.awaitExit(Duration.ofSeconds(30)), server.output());
      byte[] logs = (server.stdout() + server.stderr()).getBytes(StandardCharsets.UTF_8);
      assertEquals(
          List.of("ready line"),
          ByteScan.find(logs, ascii(Map.of("ready line", "tafel ready"))),
          "positive control");
      assertEquals(List.of(), ByteScan.find(logs, canaries), "canary in the logs");
      // and no identifiers at INFO (DESIGN.md §1)
      Map<String, byte[]> ids =
          ascii(Map.of("blob ID", blobId, "Bob's ID", bobId, "Alice's ID", aliceId));
      assertEquals(List.of(), ByteScan.find(logs, ids), "IDs in the logs");
      assertEquals(List.of(), ByteScan.find(metrics.getBytes(StandardCharsets.UTF_8), ids));
    }
    // after a clean stop (SQLite checkpointed, files closed)
    assertFalse(
        ByteScan.filesContaining(data, Map.of("file ciphertext", ciphertextSample)).isEmpty(),
        "positive control");
    assertEquals(Map.of(), ByteScan.filesContaining(data, canaries), "canary on disk");
  }

  /** One pass over {@code dump}: every positive control is found, no canary is. */
  private static void assertFoundOnly(
      Map<String, byte[]> controls, Map<String, byte[]> canaries, Path dump, String what)
      throws IOException {
    Map<String, byte[]> all = new LinkedHashMap<>(controls);
    all.putAll(canaries);
    long start = System.nanoTime();
    List<String> found = ByteScan.find(dump, all);
    System.out.printf(
        "%s scanned in %d ms: %s%n", what, (System.nanoTime() - start) / 1_000_000, found);
    assertEquals(
        List.copyOf(controls.keySet()),
        found.stream().filter(controls::containsKey).toList(),
        "positive controls in " + what);
    assertEquals(
        List.of(), found.stream().filter(canaries::containsKey).toList(), "canary in " + what);
  }

  /**
   * Two ice4j agents gather relayed candidates from the server's relay with TURN REST credentials
   * from the secret in its data directory, connect relay to relay, and send SRTP (AES-GCM) audio
   * and video whose payloads start with the media canary for three seconds.
   */
  private static CallStats[] call(Path data, int turnPort) throws Exception {
    byte[] secret =
        Files.readString(
                new GeneratedSecrets(data, RANDOM).file(GeneratedSecrets.TURN_SECRET),
                StandardCharsets.UTF_8)
            .strip()
            .getBytes(StandardCharsets.UTF_8);
    byte[] marker = MEDIA_CANARY.getBytes(StandardCharsets.US_ASCII);
    try (IceSession a =
            IceSession.gather(IceConfig.of(turn(secret, turnPort, "pseudonymA"), true));
        IceSession b =
            IceSession.gather(IceConfig.of(turn(secret, turnPort, "pseudonymB"), false))) {
      CompletableFuture<MediaTransport> bConnect =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return b.connect(a.localParameters(), a.localCandidates());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      MediaTransport aMedia = a.connect(b.localParameters(), b.localCandidates());
      MediaTransport bMedia = bConnect.get(30, TimeUnit.SECONDS);
      assertTrue(a.connectedOverRelays(), a.selectedPair());
      SrtpMasterKey aKey = SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, RANDOM);
      SrtpMasterKey bKey = SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, RANDOM);
      var media = java.util.Set.of(MediaKind.AUDIO, MediaKind.VIDEO);
      MediaSession aSession =
          new MediaSession(
              aMedia,
              new MediaSession.Config(aKey, bKey, media, marker),
              Clock.systemUTC(),
              RANDOM);
      MediaSession bSession =
          new MediaSession(
              bMedia,
              new MediaSession.Config(bKey, aKey, media, marker),
              Clock.systemUTC(),
              RANDOM);
      aSession.start();
      bSession.start();
      Thread.sleep(3_000);
      aSession.stopSending();
      bSession.stopSending();
      return new CallStats[] {
        aSession.stop(Duration.ofMillis(500)), bSession.stop(Duration.ofMillis(500))
      };
    }
  }

  private static TurnServer turn(byte[] secret, int port, String pseudonym) {
    String user = (System.currentTimeMillis() / 1000 + 600) + ":" + pseudonym;
    return new TurnServer("127.0.0.1", port, user, TurnCredentials.restPassword(secret, user));
  }
}
