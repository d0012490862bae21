package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.CallResult;
import org.tafel.client.TafelClient;
import org.tafel.client.TafelEvent;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.media.MediaTransport;
import org.tafel.client.cli.Cli;
import org.tafel.client.cli.ExitCode;
import org.tafel.client.crypto.ChunkedFileCipher;
import org.tafel.client.crypto.Profile;
import org.tafel.client.files.BlobClient;
import org.tafel.client.files.ProgressListener;
import org.tafel.protocol.signaling.X25519;
import org.tafel.server.demo.Demo;
import org.tafel.server.testing.ServerProcess;

/**
 * Issue 5, must-show 2 and 5 with the server as its own process: the demo's flow with assertions, a
 * file to three recipients uploaded once, and changed keys refused by the CLI with exit 7.
 */
@Timeout(180)
class ClientEndToEndTest {
  private static final int TAMPERED = 3;

  @TempDir Path dir;

  private static ServerProcess server(Path data) {
    return ServerProcess.start(data, "--allow-peer", "127.0.0.0/8", "--pow-bits", "8");
  }

  private static URI ws(ServerProcess s) {
    return URI.create("ws://127.0.0.1:" + s.signalingPort() + "/v1/ws");
  }

  private static URI blob(ServerProcess s) {
    return URI.create("http://127.0.0.1:" + s.blobPort());
  }

  /**
   * Sends, before every 50th outgoing RTP packet (up to {@link #TAMPERED}), a copy with one bit of
   * its authentication tag flipped: what an attacker on the relay path could inject.
   */
  static final class Tamperer implements UnaryOperator<MediaTransport> {
    final AtomicInteger tampered = new AtomicInteger();

    @Override
    public MediaTransport apply(MediaTransport t) {
      return new MediaTransport() {
        private int rtp;

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
          int pt = buf[off + 1] & 0x7f;
          boolean isRtp = (buf[off] & 0xc0) == 0x80 && (pt == 111 || pt == 96);
          if (isRtp && ++rtp % 50 == 0 && tampered.get() < TAMPERED) {
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
            copy[len - 1] ^= 0x01;
            t.send(copy, 0, len);
            tampered.incrementAndGet();
          }
          t.send(buf, off, len);
        }

        @Override
        public int receive(byte[] buf, int timeoutMillis) throws IOException {
          return t.receive(buf, timeoutMillis);
        }

        @Override
        public void close() {
          t.close();
        }
      };
    }
  }

  @Test
  void demoFlowDeliversTheWorksheetAndEveryGenuineMediaPacketAuthenticates() throws Exception {
    try (ServerProcess server = server(dir.resolve("data"))) {
      Tamperer tamper = new Tamperer();
      TafelClient.Options b = TafelClient.Options.of(ws(server));
      TafelClient.Options a = b.withMediaTap(tamper);
      Demo.Report r =
          Demo.run(
              a,
              b,
              blob(server),
              dir,
              Duration.ofSeconds(4),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

      assertTrue(r.fileVerified(), r.sentSha256() + " vs " + r.receivedSha256());
      assertEquals(-1, Files.mismatch(r.original(), r.received()), "decrypted file differs");
      assertTrue(
          new String(Files.readAllBytes(r.received()), StandardCharsets.ISO_8859_1)
              .startsWith("%PDF-1.4"));

      CallResult caller = r.caller();
      CallResult callee = r.callee();
      assertTrue(caller.overRelays(), caller.selectedPair());
      assertTrue(callee.overRelays(), callee.selectedPair());
      assertEquals(TAMPERED, tamper.tampered.get());
      // B refused exactly the tampered packets; everything else that arrived authenticated
      assertEquals(TAMPERED, callee.stats().authFailures(), callee.format());
      assertEquals(0, caller.stats().authFailures(), caller.format());
      for (CallResult c : List.of(caller, callee)) {
        assertEquals(0, c.stats().replays(), c.format());
        assertEquals(0, c.stats().invalid(), c.format());
        assertTrue(c.stats().rtt().samples() >= 1, c.format());
        for (MediaKind k : MediaKind.values()) {
          assertTrue(c.stats().receivedPackets(k) > 50, k + "\n" + c.format());
        }
      }
      // what B received of A's genuine packets is what A sent, less any lost in flight
      for (MediaKind k : MediaKind.values()) {
        long lost =
            callee.stats().received().stream()
                .filter(x -> x.kind() == k)
                .mapToLong(x -> x.lost())
                .sum();
        assertEquals(
            caller.stats().sentPackets(k),
            callee.stats().receivedPackets(k) + lost,
            k + "\n" + caller.format() + callee.format());
      }
      assertTrue(!server.stderr().contains(r.teacherA()), "identity ID in the server log");
    }
  }

  @Test
  void aFileToThreeRecipientsIsUploadedOnceAndDecryptsForEach() throws Exception {
    try (ServerProcess server = server(dir.resolve("data"))) {
      TafelClient.Options o = TafelClient.Options.of(ws(server));
      List<TafelClient> clients = new ArrayList<>();
      try {
        for (String name : List.of("teacher", "p1", "p2", "p3")) {
          clients.add(TafelClient.create(dir.resolve(name), o));
        }
        byte[] content = new byte[300_000];
        new SecureRandom().nextBytes(content);
        Path file = dir.resolve("Klassenarbeit.bin");
        Files.write(file, content);
        List<String> to = clients.subList(1, 4).stream().map(TafelClient::identity).toList();
        long before = metric(server, "tafel_blob_received_bytes_total");
        TafelClient.SentFile sent;
        try (BlobClient blob = new BlobClient(blob(server))) {
          sent = clients.get(0).sendFile(to, file, blob, ProgressListener.NONE);
        }
        assertEquals(
            ChunkedFileCipher.ciphertextSize(content.length),
            metric(server, "tafel_blob_received_bytes_total") - before,
            "the ciphertext was uploaded exactly once");
        for (TafelClient c : clients.subList(1, 4)) {
          TafelEvent e = c.nextEvent(Duration.ofSeconds(20)).orElseThrow();
          TafelEvent.File f = (TafelEvent.File) e;
          assertEquals(sent.blobId(), f.file().blobId());
          Path out = Files.createDirectories(dir.resolve("in-" + c.identity()));
          try (BlobClient blob = new BlobClient(blob(server))) {
            Path saved = c.receiveFile(f, blob, out, ProgressListener.NONE);
            assertEquals(-1, Files.mismatch(file, saved), "decrypts for " + c.identity());
          }
        }
      } finally {
        clients.forEach(TafelClient::close);
      }
    }
  }

  @Test
  void theCliRefusesChangedKeysWithExitCode7() throws Exception {
    try (ServerProcess server = server(dir.resolve("data"))) {
      String url = "127.0.0.1:" + server.signalingPort();
      assertEquals(ExitCode.OK, cli("id", "new", "--server", url, "--profile", "alice"));
      assertEquals(ExitCode.OK, cli("id", "new", "--server", url, "--profile", "bob"));
      String bob = Profile.open(dir.resolve("bob")).identityId().orElseThrow();
      assertEquals(
          ExitCode.OK, cli("send", "--server", url, "--profile", "alice", "--to", bob, "hi"));
      assertEquals(
          ExitCode.UNKNOWN_ID,
          cli("send", "--server", url, "--profile", "alice", "--to", "ZZZZ9999", "hi"));

      // the server lies: its directory now answers bob's ID with another key (written into its
      // store while it runs), and alice has bob's first key pinned
      try (java.sql.Connection db =
              java.sql.DriverManager.getConnection(
                  "jdbc:sqlite:" + dir.resolve("data").resolve("signaling.db"));
          java.sql.PreparedStatement update =
              db.prepareStatement("UPDATE identities SET public_key = ? WHERE id = ?")) {
        try (java.sql.Statement st = db.createStatement()) {
          st.execute("PRAGMA busy_timeout = 10000");
        }
        update.setBytes(1, X25519.generate(new SecureRandom()).publicKey());
        update.setString(2, bob);
        assertEquals(1, update.executeUpdate(), "bob's key replaced in the server's store");
      }
      assertEquals(
          ExitCode.KEY_CHANGED,
          cli("send", "--server", url, "--profile", "alice", "--to", bob, "after the change"));

      // another server (another key) at the address alice knows
      try (ServerProcess other = server(dir.resolve("other"))) {
        assertEquals(
            ExitCode.KEY_CHANGED,
            cli(
                "send",
                "--server",
                "127.0.0.1:" + other.signalingPort(),
                "--profile",
                "bob",
                "--to",
                bob,
                "hi"));
      }
      assertEquals(
          ExitCode.UNREACHABLE,
          cli("send", "--server", "127.0.0.1:1", "--profile", "bob", "--to", bob, "hi"));
    }
  }

  @Test
  void theCliSendsTextsAndFilesAndReceivesThemWithoutOverwriting() throws Exception {
    try (ServerProcess server = server(dir.resolve("data"))) {
      String sig = "http://127.0.0.1:" + server.signalingPort();
      String blob = "127.0.0.1:" + server.blobPort();
      List<String> common = List.of("--server", sig, "--blob-server", blob);
      assertEquals(ExitCode.OK, cli("id", concat(common, "new", "--profile", "alice")));
      assertEquals(ExitCode.OK, cli("id", concat(common, "new", "--profile", "bob")));
      String bob = Profile.open(dir.resolve("bob")).identityId().orElseThrow();
      String alice = Profile.open(dir.resolve("alice")).identityId().orElseThrow();
      Path sheet = dir.resolve("Arbeitsblatt.pdf");
      Files.write(sheet, "%PDF-1.4 worksheet".getBytes(StandardCharsets.US_ASCII));
      String text = "Seite 12\nbis Freitag";
      assertEquals(
          ExitCode.OK, cli("send", concat(common, "--profile", "alice", "--to", bob, text)));
      assertTrue(lastOut.strip().matches("[0-9a-f]{32}"), lastOut);
      for (int i = 0; i < 2; i++) {
        assertEquals(
            ExitCode.OK,
            cli("send-file", concat(common, "--profile", "alice", "--to", bob, sheet.toString())));
        assertTrue(lastOut.strip().matches("[0-9a-f]{32}"), lastOut);
      }
      assertEquals(
          ExitCode.OK,
          cli("receive", concat(common, "--profile", "bob", "--out", "inbox", "--timeout", "2")));
      List<String> lines = lastOut.lines().toList();
      assertEquals(3, lines.size(), lastOut);
      assertEquals("text " + alice + " " + text.replace("\n", "\\n"), lines.get(0));
      Path inbox = dir.resolve("inbox");
      assertTrue(
          lines.get(1).startsWith("file " + alice + " " + inbox.resolve("Arbeitsblatt.pdf")));
      assertTrue(
          lines.get(2).startsWith("file " + alice + " " + inbox.resolve("Arbeitsblatt (1).pdf")));
      assertEquals(-1, Files.mismatch(sheet, inbox.resolve("Arbeitsblatt.pdf")));
      assertEquals(-1, Files.mismatch(sheet, inbox.resolve("Arbeitsblatt (1).pdf")));
    }
  }

  @Test
  void theCliExitsWith5ForADeclinedCallAnd6WhenNoCallComes() throws Exception {
    try (ServerProcess server = server(dir.resolve("data"))) {
      String url = "127.0.0.1:" + server.signalingPort();
      assertEquals(ExitCode.OK, cli("id", "new", "--server", url, "--profile", "alice"));
      try (TafelClient bob =
          TafelClient.create(dir.resolve("bob"), TafelClient.Options.of(ws(server)))) {
        java.util.concurrent.CompletableFuture<Void> declines =
            java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                  try {
                    bob.decline(bob.awaitCall(Duration.ofSeconds(60)).orElseThrow());
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertEquals(
            ExitCode.NOT_ANSWERED,
            cli("call", "--server", url, "--profile", "alice", bob.identity(), "--seconds", "2"));
        declines.get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertEquals(
          ExitCode.TIMEOUT, cli("answer", "--server", url, "--profile", "alice", "--timeout", "1"));
    }
  }

  private static String[] concat(List<String> common, String... more) {
    List<String> all = new ArrayList<>(List.of(more));
    if (all.get(0).equals("new")) {
      all.addAll(1, common);
    } else {
      all.addAll(0, common);
    }
    return all.toArray(String[]::new);
  }

  private String lastOut = "";

  private int cli(String command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Cli(new PrintStream(out, true), new PrintStream(err, true), dir)
            .run(command, List.of(args));
    System.out.println(
        "tafel " + command + " " + String.join(" ", args) + " -> " + code + "\n" + out + err);
    lastOut = out.toString(StandardCharsets.UTF_8);
    return code;
  }

  private static long metric(ServerProcess s, String series) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (String line : r.body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }
}
