package org.tafel.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.token.UploadTokens;
import org.tafel.server.config.GeneratedSecrets;
import org.tafel.server.testing.ServerProcess;

/**
 * Must-show 3: {@code kill -9} of the server (a child JVM) during 20 concurrent uploads. After the
 * restart no partial blob is visible, no temporary file is left, and every upload that was answered
 * 201 is intact.
 */
class BlobCrashTest {
  static final int CLIENTS = 20;
  static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{32})\"");

  @TempDir Path data;

  /** What one client sent: the bytes of each upload by (client, sequence). */
  static byte[] body(int client, int seq) {
    Random r = new Random(client * 1000L + seq);
    byte[] b = new byte[512 * 1024 + r.nextInt(1024 * 1024)];
    r.nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void killDuringTwentyConcurrentUploadsLeavesOnlyCompleteBlobsAndNoTemporaries() throws Exception {
    var keys =
        new GeneratedSecrets(data, new SecureRandom()).keyRing(GeneratedSecrets.UPLOAD_TOKEN_KEY);
    UploadTokens tokens = new UploadTokens(keys, Clock.systemUTC());
    Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    Set<String> attempted = ConcurrentHashMap.newKeySet();
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch enough = new CountDownLatch(CLIENTS);
    List<Thread> clients = new ArrayList<>();

    ServerProcess server = ServerProcess.start(data, "--only", "blob");
    int port = server.blobPort();
    try {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        String token = tokens.issue("client" + c, 1L << 30, Duration.ofMinutes(10));
        Thread t =
            new Thread(
                () -> {
                  for (int seq = 0; !killed.get() && seq < 50; seq++) {
                    byte[] b = body(client, seq);
                    try {
                      attempted.add(sha256(b));
                      String id = upload(port, token, b);
                      if (id != null) {
                        acknowledged.put(id, b);
                        if (seq == 1) {
                          enough.countDown();
                        }
                      }
                    } catch (Exception e) {
                      return; // the server died under us
                    }
                  }
                },
                "upload-client-" + c);
        t.start();
        clients.add(t);
      }
      // Every client has finished two uploads and is in the middle of more: kill now.
      assertTrue(enough.await(60, TimeUnit.SECONDS), "uploads too slow\n" + server.output());
      killed.set(true);
      server.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
      assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
      assertEquals(128 + 9, server.process().exitValue(), "killed by signal 9 (SIGKILL)");
      for (Thread t : clients) {
        t.join(10_000);
      }
    } finally {
      server.close();
    }
    Path blobs = data.resolve("blobs");
    long temporaries = count(blobs.resolve("tmp"));
    assertTrue(temporaries > 0, "the kill hit no upload in progress");
    assertTrue(acknowledged.size() >= 2 * CLIENTS, "acknowledged: " + acknowledged.size());

    try (ServerProcess restarted = ServerProcess.start(data, "--only", "blob")) {
      int port2 = restarted.blobPort();
      // every acknowledged upload is intact
      for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
        byte[] got = get(port2, e.getKey());
        assertArrayEquals(e.getValue(), got, "blob " + e.getKey());
      }
      // every visible blob is a complete upload (acknowledged, or committed just before the kill)
      List<String> visible = new ArrayList<>();
      try (Stream<Path> s = Files.walk(blobs.resolve("data"))) {
        s.filter(Files::isRegularFile)
            .map(p -> p.getFileName().toString())
            .filter(n -> n.matches("[0-9a-f]{32}"))
            .forEach(visible::add);
      }
      assertTrue(visible.size() >= acknowledged.size());
      for (String id : visible) {
        assertTrue(
            attempted.contains(sha256(get(port2, id))), "blob " + id + " is not a whole upload");
        assertTrue(
            Files.exists(blobs.resolve("data").resolve(id.substring(0, 2)).resolve(id + ".meta")));
      }
      try (Stream<Path> s = Files.walk(blobs.resolve("data"))) {
        long metas = s.filter(p -> p.toString().endsWith(".meta")).count();
        assertEquals(visible.size(), metas, "no metadata without bytes");
      }
      assertEquals(0, count(blobs.resolve("tmp")), "temporary files left after restart");
      System.out.printf(
          "kill -9: %d uploads acknowledged, %d blobs visible after restart, %d temporary files"
              + " at the kill, 0 after%n",
          acknowledged.size(), visible.size(), temporaries);
      String metrics = adminMetrics(restarted.adminPort());
      assertTrue(metrics.contains("tafel_blob_stored_blobs " + visible.size()), metrics);
    }
  }

  static long count(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  /** POST /v1/blobs in 64 KiB writes; the blob ID on 201, null otherwise. */
  static String upload(int port, String token, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/blobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                  + token
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (int off = 0; off < body.length; off += 65536) {
        out.write(body, off, Math.min(65536, body.length - off));
        out.flush();
        pace();
      }
      String response = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.1 201")) {
        return null;
      }
      Matcher m = ID.matcher(response);
      return m.find() ? m.group(1) : null;
    }
  }

  /** Spreads each body over some milliseconds, so that at any moment most clients are mid-body. */
  static void pace() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toByteArray();
  }

  static byte[] get(int port, String id) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var r =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/v1/blobs/" + id))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), "GET " + id);
    return r.body();
  }

  static String adminMetrics(int port) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    return client
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
