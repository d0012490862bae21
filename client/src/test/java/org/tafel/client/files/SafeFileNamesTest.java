package org.tafel.client.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeFileNamesTest {

  @Test
  void keepsOnlyTheLastPathComponent() {
    assertEquals("passwd", SafeFileNames.baseName("../../etc/passwd"));
    assertEquals("evil.exe", SafeFileNames.baseName("C:\\Windows\\System32\\evil.exe"));
    assertEquals("x.pdf", SafeFileNames.baseName("/abs/x.pdf"));
    assertEquals("file", SafeFileNames.baseName("dir/"));
  }

  @Test
  void neverYieldsDotDotOrAHiddenOrEmptyName() {
    assertEquals("file", SafeFileNames.baseName(".."));
    assertEquals("file", SafeFileNames.baseName("."));
    assertEquals("file", SafeFileNames.baseName(""));
    assertEquals("file", SafeFileNames.baseName(null));
    assertEquals("file", SafeFileNames.baseName(" . . "));
    assertEquals("bashrc", SafeFileNames.baseName(".bashrc"));
    assertEquals("name", SafeFileNames.baseName("name. . "));
  }

  @Test
  void dropsControlAndBidiOverrideCharacters() {
    assertEquals("ab.txt", SafeFileNames.baseName("a\u0000b\n.txt"));
    // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice_fdp.exe" as "invoice_exe.pdf".
    assertEquals("invoice_fdp.exe", SafeFileNames.baseName("invoice_\u202Efdp.exe"));
    assertEquals("tabname", SafeFileNames.baseName("tab\u0009name"));
    assertEquals("a b", SafeFileNames.baseName("a\u00A0b"));
  }

  @Test
  void replacesCharactersWindowsForbidsAndPrefixesDeviceNames() {
    assertEquals("a_b_c_.txt", SafeFileNames.baseName("a<b>c?.txt"));
    assertEquals("_con.txt", SafeFileNames.baseName("con.txt"));
    assertEquals("_NUL", SafeFileNames.baseName("NUL"));
    assertEquals("console.txt", SafeFileNames.baseName("console.txt"));
  }

  @Test
  void capsTheLengthInUtf8BytesKeepingTheExtension() {
    String longName = "ü".repeat(300) + ".pdf";
    String safe = SafeFileNames.baseName(longName);
    assertTrue(safe.getBytes(StandardCharsets.UTF_8).length <= SafeFileNames.MAX_BYTES, safe);
    assertTrue(safe.endsWith("ü.pdf"), safe);
    String astral = "\uD83D\uDCDA".repeat(100);
    String s2 = SafeFileNames.baseName(astral);
    assertTrue(s2.getBytes(StandardCharsets.UTF_8).length <= SafeFileNames.MAX_BYTES);
    assertEquals(0, s2.length() % 2, "no split surrogate pair");
  }

  @Test
  void keepsOrdinaryNamesAsTheyAre() {
    assertEquals(
        "Arbeitsblatt Bruchrechnen (Klasse 6b).pdf",
        SafeFileNames.baseName("Arbeitsblatt Bruchrechnen (Klasse 6b).pdf"));
    assertEquals("Übung.odt", SafeFileNames.baseName("U\u0308bung.odt"));
  }

  @Test
  void neverOverwritesAndNumbersTheCopies(@TempDir Path dir) throws Exception {
    Path first = SafeFileNames.createNew(dir, "Blatt.pdf");
    Files.writeString(first, "original");
    Path second = SafeFileNames.createNew(dir, "../Blatt.pdf");
    Path third = SafeFileNames.createNew(dir, "Blatt.pdf");
    assertEquals(dir.resolve("Blatt.pdf"), first);
    assertEquals(dir.resolve("Blatt (1).pdf"), second);
    assertEquals(dir.resolve("Blatt (2).pdf"), third);
    assertEquals("original", Files.readString(first));
    Path noExt = SafeFileNames.createNew(dir, "README");
    Path noExt2 = SafeFileNames.createNew(dir, "README");
    assertEquals(dir.resolve("README (1)"), noExt2);
    assertTrue(Files.exists(noExt));
  }

  @Test
  void neverFollowsALinkPlantedUnderTheName(@TempDir Path dir) throws Exception {
    Path outside = Files.createTempFile("outside", ".txt");
    try {
      Files.writeString(outside, "keep");
      Files.createSymbolicLink(dir.resolve("notes.txt"), outside);
      Path created = SafeFileNames.createNew(dir, "notes.txt");
      assertEquals(dir.resolve("notes (1).txt"), created);
      assertEquals("keep", Files.readString(outside));
      assertFalse(Files.isSymbolicLink(created));
    } finally {
      Files.deleteIfExists(outside);
    }
  }
}
