package org.tafel.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {
  @TempDir Path dir;

  /** Loads "cert|key" and refuses a key file that does not start with "KEY". */
  private static String load(Path cert, Path key) throws Exception {
    String k = Files.readString(key);
    if (!k.startsWith("KEY")) {
      throw new IllegalArgumentException("not a key");
    }
    return Files.readString(cert) + "|" + k;
  }

  private static void write(Path file, String text, long mtime) throws Exception {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
  }

  @Test
  void reloadsOnlyWhenAFileChangedAndKeepsTheOldValueWhenTheNewDoesNotLoad() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    write(cert, "C1", 1_000_000_000_000L);
    write(key, "KEY1", 1_000_000_000_000L);
    CertificateFiles<String> files =
        new CertificateFiles<>("test", cert, key, CertificateFilesTest::load);
    assertEquals("C1|KEY1", files.current());
    assertFalse(files.reloadIfChanged(), "nothing changed");

    write(key, "broken", 1_000_000_100_000L);
    assertFalse(files.reloadIfChanged(), "a key that does not load is not taken");
    assertEquals("C1|KEY1", files.current());

    write(cert, "C2", 1_000_000_200_000L);
    write(key, "KEY2", 1_000_000_200_000L);
    assertTrue(files.reloadIfChanged());
    assertEquals("C2|KEY2", files.current());
    assertFalse(files.reloadIfChanged(), "loaded once per change");
  }

  @Test
  void failsAtStartWhenTheFilesDoNotLoad() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    write(cert, "C1", 1_000_000_000_000L);
    write(key, "nope", 1_000_000_000_000L);
    assertThrows(
        IllegalArgumentException.class,
        () -> new CertificateFiles<>("test", cert, key, CertificateFilesTest::load));
  }
}
