package org.tafel.server.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tafel.client.CallResult;
import org.tafel.client.TafelClient;
import org.tafel.client.TafelEvent;
import org.tafel.client.files.BlobClient;
import org.tafel.client.files.ProgressListener;

/**
 * The demo's flow against running services: two teachers register, one sends a worksheet PDF to the
 * other, who downloads, decrypts and checks it, then they call for {@code callLength}.
 */
public final class Demo {
  /** What happened, for printing and for tests. */
  public record Report(
      String teacherA,
      String teacherB,
      Path original,
      Path received,
      long size,
      String sentSha256,
      String receivedSha256,
      String blobId,
      CallResult caller,
      CallResult callee) {
    public boolean fileVerified() {
      return sentSha256.equals(receivedSha256);
    }

    public boolean ok() {
      return fileVerified() && caller.overRelays() && callee.overRelays();
    }
  }

  private Demo() {}

  public static Report run(
      URI signaling, URI blob, Path work, Duration callLength, byte[] marker, PrintStream out)
      throws Exception {
    TafelClient.Options options = TafelClient.Options.of(signaling).withMediaMarker(marker);
    return run(options, options, blob, work, callLength, out);
  }

  /** The flow with each teacher's own client options (tests tap teacher A's media). */
  public static Report run(
      TafelClient.Options optionsA,
      TafelClient.Options optionsB,
      URI blob,
      Path work,
      Duration callLength,
      PrintStream out)
      throws Exception {
    try (TafelClient a = TafelClient.create(work.resolve("profiles/frau-schmidt"), optionsA);
        TafelClient b = TafelClient.create(work.resolve("profiles/herr-weber"), optionsB);
        BlobClient blobs = new BlobClient(blob)) {
      out.printf("teacher A (Frau Schmidt): %s, key %s%n", a.identity(), a.profile().fingerprint());
      out.printf("teacher B (Herr Weber):   %s, key %s%n", b.identity(), b.profile().fingerprint());

      Path pdf = work.resolve("Arbeitsblatt-Bruchrechnung.pdf");
      Files.write(
          pdf,
          WorksheetPdf.generate(
              "Arbeitsblatt: Bruchrechnung (Klasse 6b)",
              List.of(
                  "1. Kuerze: 12/18, 25/100, 14/21",
                  "2. Erweitere auf den Nenner 24: 3/4, 5/6, 7/8",
                  "3. Berechne: 1/2 + 1/3, 3/4 - 1/6, 2/5 + 3/10",
                  "Abgabe: Freitag. Viel Erfolg!")));
      TafelClient.SentFile sent =
          a.sendFile(List.of(b.identity()), pdf, blobs, ProgressListener.NONE);
      out.printf(
          "A sent %s (%d bytes, sha256 %s) encrypted as blob %s%n",
          pdf.getFileName(), sent.size(), sent.sha256(), sent.blobId());

      TafelEvent.File f = awaitFile(b);
      Path inbox = Files.createDirectories(work.resolve("received"));
      Path saved = b.receiveFile(f, blobs, inbox, ProgressListener.NONE);
      String receivedHash = sha256(saved);
      out.printf(
          "B received %s from %s: sha256 %s -> %s%n",
          saved.getFileName(),
          f.sender(),
          receivedHash,
          receivedHash.equals(sent.sha256()) ? "hash verified" : "HASH MISMATCH");

      out.printf("A calls B for %d s through the relay ...%n", callLength.toSeconds());
      CompletableFuture<CallResult> answered =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  TafelClient.IncomingCall in =
                      b.awaitCall(Duration.ofSeconds(60))
                          .orElseThrow(() -> new IOException("no call arrived"));
                  return b.answer(in, callLength.plusSeconds(30));
                } catch (Exception e) {
                  throw new IllegalStateException(e.getMessage(), e);
                }
              });
      CallResult caller = a.call(b.identity(), callLength);
      CallResult callee = answered.get(60, TimeUnit.SECONDS);
      out.println("--- A (caller) ---");
      out.print(caller.format());
      out.println("--- B (callee) ---");
      out.print(callee.format());
      return new Report(
          a.identity(),
          b.identity(),
          pdf,
          saved,
          sent.size(),
          sent.sha256(),
          receivedHash,
          sent.blobId(),
          caller,
          callee);
    }
  }

  private static TafelEvent.File awaitFile(TafelClient c) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      var e = c.nextEvent(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
      if (e.isPresent() && e.get() instanceof TafelEvent.File f) {
        return f;
      }
    }
    throw new IOException("the file message did not arrive within 30 s");
  }

  static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
