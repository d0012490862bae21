package org.tafel.client.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sender and receiver sides of a file, without the blob store: the bytes between are the blob. */
class FileTransferTest {
  private static final String BLOB = "0123456789abcdef0123456789abcdef";
  private final SecureRandom random = new SecureRandom();

  private Path worksheet(Path dir, int size) throws IOException {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return Files.write(dir.resolve("Arbeitsblatt 6b.pdf"), b);
  }

  private static byte[] upload(OutgoingFile f) throws IOException {
    try (InputStream in = f.ciphertext(0)) {
      return in.readAllBytes();
    }
  }

  @Test
  void theReceiverGetsTheSameBytesUnderASafeNameAndNeverOverwrites(@TempDir Path dir)
      throws Exception {
    Path src = worksheet(Files.createDirectory(dir.resolve("out")), 200_000);
    OutgoingFile f = OutgoingFile.prepare(src, random);
    byte[] blob = upload(f);
    assertEquals(f.ciphertextSize(), blob.length);
    FileMessage m = FileMessage.fromJson(f.message(BLOB).toJson());
    assertEquals("application/pdf", m.mime());
    assertEquals(200_000, m.size());

    Path in = Files.createDirectory(dir.resolve("in"));
    Path first = ReceivedFiles.save(new ByteArrayInputStream(blob), m, in);
    Path second = ReceivedFiles.save(new ByteArrayInputStream(blob), m, in);
    assertEquals(in.resolve("Arbeitsblatt 6b.pdf"), first);
    assertEquals(in.resolve("Arbeitsblatt 6b (1).pdf"), second);
    assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(first));
    assertEquals(
        HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(first))),
        m.sha256());
  }

  @Test
  void oneUploadDecryptsForEveryRecipient(@TempDir Path dir) throws Exception {
    Path src = worksheet(dir, 70_000);
    OutgoingFile f = OutgoingFile.prepare(src, random);
    byte[] blob = upload(f);
    byte[] body = f.message(BLOB).toJson();
    for (String pupil : List.of("p1", "p2", "p3")) {
      Path in = Files.createDirectory(dir.resolve(pupil));
      Path saved =
          ReceivedFiles.save(new ByteArrayInputStream(blob), FileMessage.fromJson(body), in);
      assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(saved), pupil);
    }
  }

  @Test
  void refusesATamperedBlobAWrongSizeAndAWrongHashLeavingNothing(@TempDir Path dir)
      throws Exception {
    Path src = worksheet(dir, 10_000);
    OutgoingFile f = OutgoingFile.prepare(src, random);
    byte[] blob = upload(f);
    FileMessage good = f.message(BLOB);
    Path in = Files.createDirectory(dir.resolve("in"));

    byte[] tampered = blob.clone();
    tampered[100] ^= 1;
    assertThrows(
        ReceivedFiles.FileCheckException.class,
        () -> ReceivedFiles.save(new ByteArrayInputStream(tampered), good, in));
    FileMessage wrongSize =
        new FileMessage(
            BLOB,
            good.key(),
            good.size() + 1,
            good.sha256(),
            good.name(),
            good.mime(),
            good.format());
    assertThrows(
        ReceivedFiles.FileCheckException.class,
        () -> ReceivedFiles.save(new ByteArrayInputStream(blob), wrongSize, in));
    FileMessage wrongHash =
        new FileMessage(
            BLOB, good.key(), good.size(), "0".repeat(64), good.name(), good.mime(), good.format());
    assertThrows(
        ReceivedFiles.FileCheckException.class,
        () -> ReceivedFiles.save(new ByteArrayInputStream(blob), wrongHash, in));
    try (Stream<Path> left = Files.list(in)) {
      assertEquals(List.of(), left.toList(), "nothing saved, no temporary file left");
    }
  }

  @Test
  void refusesAMalformedFileMessageNamingTheField() {
    String json =
        "{\"blobId\":\"../../etc\",\"key\":\"AAAA\",\"size\":1,\"sha256\":\"00\",\"name\":\"x\","
            + "\"mime\":\"text/plain\",\"format\":\"tafel-chunks-v1\"}";
    IOException e =
        assertThrows(
            IOException.class, () -> FileMessage.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("blobId"), e.getMessage());
  }
}
