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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.CallResult;
import org.tafel.client.TafelClient;
import org.tafel.client.call.CallPayload;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.SrtpCrypto;
import org.tafel.client.call.media.MediaTransport;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;
import org.tafel.client.call.srtp.SrtpStatus;
import org.tafel.client.call.srtp.SrtpTransformer;
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
import org.tafel.server.testing.ByteScan;
import org.tafel.server.testing.ServerProcess;

/**
 * Issue 5, must-show 3: with {@code tafel serve} as its own process, plaintext canaries sent the
 * way the client SDK sends them — (a) inside a file encrypted with {@code ChunkedFileCipher} and
 * uploaded with {@link BlobClient} (and in the file's name, inside the sealed {@code file}
 * message), (b) in the payload of SRTP call media of a {@link TafelClient#call} answered with
 * {@link TafelClient#answer} (offer and answer sealed through the server's signaling, TURN
 * credentials from its {@code turn-credentials}, media through its relay), (c) in a text message
 * sent with the SDK's {@link SignalingClient} (looked up, sealed with {@link MessageCrypto}, {@code
 * sent} awaited; received, opened and acknowledged by Bob's client) through the server's signaling
 * — appear nowhere in the server's data directory, its stdout and stderr, {@code /metrics}, a heap
 * dump ({@code jcmd GC.heap_dump -all}) or a core dump ({@code gcore}) of the process, by byte
 * search ({@link ByteScan#needles}: UTF-8, UTF-16, hex, base64). Each search first finds a positive
 * control in the same bytes, so a scan that reads nothing cannot pass. After the call, the SRTP
 * master keys and salts that travelled in the offer and the answer are searched for as well (raw,
 * hex, base64): the server relays them sealed and must hold them nowhere.
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

      // (b) a call through the server: offer and answer (with the SRTP keys) sealed through its
      // signaling, TURN credentials from its turn-credentials, SRTP media whose payloads start
      // with the canary through its relay
      Map<String, byte[]> srtpKeys = call(ws, tmp.resolve("alice"), tmp.resolve("bob"));
      // from here on every search looks for the SRTP keys as well
      canaries.putAll(srtpKeys);
      assertEquals(Map.of(), ByteScan.filesContaining(data, canaries), "canary or key on disk");

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
   * Alice calls Bob with the SDK's {@link TafelClient}, both through the server: the offer and the
   * answer, which carry each side's SRTP master key, travel sealed through its signaling, the relay
   * credentials come from its {@code turn-credentials}, and three seconds of SRTP audio and video
   * whose payloads start with the media canary go through its relay. Returns the needles of the
   * SRTP keys that travelled: Alice's offered keys (from the offer Bob received) and Bob's answer
   * key (drawn from Bob's client's random source). As positive controls, packets each side received
   * from the relay decrypt with those keys to payloads that carry the canary.
   */
  private static Map<String, byte[]> call(URI ws, Path aliceDir, Path bobDir) throws Exception {
    byte[] marker = MEDIA_CANARY.getBytes(StandardCharsets.US_ASCII);
    TafelClient.Options base = TafelClient.Options.of(ws).withMediaMarker(marker);
    RtpCapture aliceHeard = new RtpCapture();
    RtpCapture bobHeard = new RtpCapture();
    RecordingRandom bobRandom = new RecordingRandom();
    TafelClient.Options bobOptions = base.withMediaTap(bobHeard);
    bobOptions =
        new TafelClient.Options(
            bobOptions.signaling(),
            bobOptions.licence(),
            bobOptions.requestTimeout(),
            bobOptions.ringTimeout(),
            bobOptions.media(),
            bobOptions.mediaMarker(),
            bobOptions.mediaTap(),
            bobOptions.clock(),
            bobRandom);
    try (TafelClient alice = TafelClient.open(aliceDir, base.withMediaTap(aliceHeard));
        TafelClient bob = TafelClient.open(bobDir, bobOptions)) {
      AtomicReference<CallPayload.Offer> offer = new AtomicReference<>();
      CompletableFuture<CallResult> callee =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  TafelClient.IncomingCall in = bob.awaitCall(Duration.ofSeconds(30)).orElseThrow();
                  assertEquals(alice.identity(), in.caller());
                  offer.set(in.offer());
                  bobRandom.recordOn(Thread.currentThread());
                  return bob.answer(in, Duration.ofSeconds(30));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      CallResult caller = alice.call(bob.identity(), Duration.ofSeconds(3));
      CallResult answered = callee.get(30, TimeUnit.SECONDS);
      System.out.printf("%s%n%s%n", caller.format(), answered.format());
      for (CallResult r : List.of(caller, answered)) {
        assertTrue(r.overRelays(), r.selectedPair());
        for (MediaKind k : MediaKind.values()) {
          assertTrue(r.stats().receivedPackets(k) > 20, k + " through the relay:\n" + r.format());
        }
        assertEquals(0, r.stats().authFailures(), r.format());
      }
      assertEquals(caller.callId(), answered.callId());

      // the keys in use: Alice sends with her offered key of the profile Bob chose (the first),
      // Bob with the key he drew for the answer; Alice's other offered key travelled too
      List<SrtpCrypto> offered = offer.get().srtp();
      SrtpProfile chosen = offered.get(0).profile();
      assertEquals(chosen, caller.srtpProfile());
      SrtpMasterKey aliceKey = offered.get(0).masterKey();
      SrtpMasterKey bobKey = bobRandom.masterKey(chosen);
      // positive controls: what each side received through the relay decrypts with these keys,
      // and the payloads carry the canary
      assertDecryptsToCanary(bobHeard, aliceKey, marker, "Alice to Bob");
      assertDecryptsToCanary(aliceHeard, bobKey, marker, "Bob to Alice");

      Map<String, byte[]> needles = new LinkedHashMap<>();
      needles.putAll(keyNeedles("SRTP key Alice to Bob", offered.get(0)));
      for (int i = 1; i < offered.size(); i++) {
        needles.putAll(keyNeedles("SRTP key offered " + (i + 1), offered.get(i)));
      }
      needles.putAll(keyNeedles("SRTP key Bob to Alice", SrtpCrypto.of(bobKey)));
      aliceKey.destroy();
      bobKey.destroy();
      return needles;
    }
  }

  /**
   * Decrypts the captured SRTP packets with {@code key}: all authenticate, all carry the marker.
   */
  private static void assertDecryptsToCanary(
      RtpCapture heard, SrtpMasterKey key, byte[] marker, String direction) {
    List<byte[]> packets = heard.packets();
    assertTrue(packets.size() >= 5, direction + ": " + packets.size() + " RTP packets captured");
    try (SrtpTransformer rx = SrtpTransformer.receiver(key)) {
      for (byte[] p : packets) {
        assertEquals(-1, ByteScan.indexOf(p, marker), direction + ": canary in clear on the wire");
        byte[] buf = p.clone();
        SrtpTransformer.Result r = rx.unprotectRtp(buf, buf.length);
        assertEquals(SrtpStatus.OK, r.status(), direction + ": decrypts with the searched key");
        assertTrue(
            ByteScan.indexOf(Arrays.copyOf(buf, r.length()), marker) >= 0,
            direction + ": the decrypted payload carries the media canary");
      }
    }
  }

  /**
   * The forms in which an SRTP master key and salt could show up: key, salt and key ‖ salt each
   * raw, in hex (both cases) and in base64 (standard and URL-safe, at each alignment inside a
   * longer text), and the payload's own {@code inline} text.
   */
  private static Map<String, byte[]> keyNeedles(String name, SrtpCrypto c) {
    byte[] all = Base64.getDecoder().decode(c.key());
    int k = c.profile().keyLength();
    Map<String, byte[]> parts =
        Map.of(
            "key", Arrays.copyOf(all, k),
            "salt", Arrays.copyOfRange(all, k, all.length),
            "key+salt", all);
    Map<String, byte[]> n = new LinkedHashMap<>();
    n.put(name + " inline", c.key().getBytes(StandardCharsets.US_ASCII));
    parts.forEach(
        (part, b) -> {
          String prefix = name + " (" + c.profile() + ") " + part;
          n.put(prefix + " raw", b);
          String hex = HexFormat.of().formatHex(b);
          n.put(prefix + " hex", hex.getBytes(StandardCharsets.US_ASCII));
          n.put(
              prefix + " HEX",
              hex.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
          for (int shift = 0; shift < 3; shift++) {
            byte[] aligned = Arrays.copyOfRange(b, shift, shift + (b.length - shift) / 3 * 3);
            n.put(
                prefix + " base64+" + shift,
                Base64.getEncoder().encodeToString(aligned).getBytes(StandardCharsets.US_ASCII));
            n.put(
                prefix + " base64url+" + shift,
                Base64.getUrlEncoder().encodeToString(aligned).getBytes(StandardCharsets.US_ASCII));
          }
        });
    return n;
  }

  /** A media tap that keeps copies of the first SRTP packets received from the other side. */
  private static final class RtpCapture implements UnaryOperator<MediaTransport> {
    private static final int KEEP = 10;
    private final List<byte[]> packets = new CopyOnWriteArrayList<>();

    List<byte[]> packets() {
      return List.copyOf(packets);
    }

    @Override
    public MediaTransport apply(MediaTransport t) {
      return new MediaTransport() {
        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
          t.send(buf, off, len);
        }

        @Override
        public int receive(byte[] buf, int timeoutMillis) throws IOException {
          int n = t.receive(buf, timeoutMillis);
          if (n >= 12 && packets.size() < KEEP && (buf[0] & 0xc0) == 0x80) {
            int pt = buf[1] & 0x7f;
            if (pt == 111 || pt == 96) { // the synthetic audio and video payload types
              packets.add(Arrays.copyOf(buf, n));
            }
          }
          return n;
        }

        @Override
        public void close() {
          t.close();
        }
      };
    }
  }

  /**
   * Bob's client's random source: records what {@link #nextBytes} draws on the thread that answers,
   * where the answer's SRTP master key is drawn ({@code SrtpMasterKey.generate}: the key, then the
   * salt), so that the test knows the key Bob sent in his answer.
   */
  private static final class RecordingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient List<byte[]> draws = new CopyOnWriteArrayList<>();
    private transient volatile Thread recording;

    void recordOn(Thread t) {
      recording = t;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      super.nextBytes(bytes);
      if (Thread.currentThread() == recording) {
        draws.add(bytes.clone());
      }
    }

    /** The one draw of a key's length followed by a draw of a salt's length for {@code p}. */
    SrtpMasterKey masterKey(SrtpProfile p) {
      List<SrtpMasterKey> found = new ArrayList<>();
      for (int i = 0; i + 1 < draws.size(); i++) {
        if (draws.get(i).length == p.keyLength() && draws.get(i + 1).length == p.saltLength()) {
          found.add(new SrtpMasterKey(p, draws.get(i), draws.get(i + 1)));
        }
      }
      assertEquals(
          1,
          found.size(),
          "Bob's SRTP key among the answering thread's random draws (lengths "
              + draws.stream().map(b -> b.length).toList()
              + ")");
      return found.get(0);
    }
  }
}
