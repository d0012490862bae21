package org.tafel.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteScanTest {
  private static final String CANARY = "CANARY-scan-selftest";

  @Test
  void findsEveryFormOfTheCanaryWhereverItSitsInALargeFile(@TempDir Path dir) throws Exception {
    Map<String, byte[]> needles = ByteScan.needles(CANARY);
    int size = 4 * 1024 * 1024 + 4096;
    for (var e : needles.entrySet()) {
      // across the 4 MiB read boundary, and at the very end
      for (int at : List.of(4 * 1024 * 1024 - 3, size - e.getValue().length)) {
        byte[] hay = new byte[size];
        System.arraycopy(e.getValue(), 0, hay, at, e.getValue().length);
        Path f = Files.write(dir.resolve("dump"), hay);
        List<String> found = ByteScan.find(f, needles);
        // (UTF-16LE after a zero byte is also UTF-16BE; base64 without + or / is also base64url)
        assertTrue(found.contains(e.getKey()), e.getKey() + " at " + at + ": " + found);
      }
    }
  }

  @Test
  void findsBase64OfTheCanaryInsideALongerEncodedTextAtAnyAlignment() {
    Map<String, byte[]> needles = ByteScan.needles(CANARY);
    for (String prefix : List.of("", "x", "xy", "xyz")) {
      byte[] encoded =
          Base64.getEncoder()
              .encode((prefix + CANARY + " und mehr").getBytes(StandardCharsets.UTF_8));
      List<String> found = ByteScan.find(encoded, needles);
      assertTrue(found.stream().anyMatch(n -> n.startsWith("base64+")), prefix + ": " + found);
    }
  }

  @Test
  void findsNothingInBytesWithoutTheCanary() {
    byte[] hay = new byte[1 << 20];
    new java.util.Random(7).nextBytes(hay);
    byte[] almost =
        (CANARY.substring(0, CANARY.length() - 1) + "!").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(almost, 0, hay, 1000, almost.length);
    assertEquals(List.of(), ByteScan.find(hay, ByteScan.needles(CANARY)));
  }
}
