package org.tafel.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Byte search for privacy tests (DESIGN.md §9): the forms in which a leaked plaintext canary could
 * show up, and a streaming search for them in files of any size (a data directory, a heap dump, a
 * core dump of several hundred MiB) without reading a file into memory.
 */
public final class ByteScan {
  private static final int BUFFER = 4 * 1024 * 1024;

  private ByteScan() {}

  /**
   * Every form in which a leaked {@code canary} could show up, by name: UTF-8, UTF-16 (both byte
   * orders, as Java's heap and Windows-style text keep it), lower- and upper-case hex, and base64
   * (standard and URL-safe) at each of the three alignments the canary could have inside a longer
   * encoded text (full 4-character groups only, so the bytes around it do not matter).
   */
  public static Map<String, byte[]> needles(String canary) {
    byte[] utf8 = canary.getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> n = new LinkedHashMap<>();
    n.put("utf-8", utf8);
    n.put("utf-16le", canary.getBytes(StandardCharsets.UTF_16LE));
    n.put("utf-16be", canary.getBytes(StandardCharsets.UTF_16BE));
    String hex = HexFormat.of().formatHex(utf8);
    n.put("hex", ascii(hex));
    n.put("HEX", ascii(hex.toUpperCase(java.util.Locale.ROOT)));
    for (int shift = 0; shift < 3; shift++) {
      int groups = (utf8.length - shift) / 3;
      byte[] part = Arrays.copyOfRange(utf8, shift, shift + 3 * groups);
      n.put("base64+" + shift, ascii(Base64.getEncoder().encodeToString(part)));
      n.put("base64url+" + shift, ascii(Base64.getUrlEncoder().encodeToString(part)));
    }
    return n;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Index of the first occurrence of {@code needle} in {@code hay}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The names of {@code needles} that occur in {@code bytes}. */
  public static List<String> find(byte[] bytes, Map<String, byte[]> needles) {
    try {
      return find(new java.io.ByteArrayInputStream(bytes), needles);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The names of {@code needles} that occur in {@code file}, read once in 4 MiB pieces. */
  public static List<String> find(Path file, Map<String, byte[]> needles) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return find(in, needles);
    }
  }

  /** The names of {@code needles} that occur in {@code in}, read once. */
  public static List<String> find(InputStream in, Map<String, byte[]> needles) throws IOException {
    List<String> names = new ArrayList<>(needles.keySet());
    byte[][] ns = names.stream().map(needles::get).toArray(byte[][]::new);
    // needles by their first two bytes: a position is examined only when both match, so long
    // runs of zeros (most of a core dump) cost one table lookup each
    int[][] byPair = new int[1 << 16][];
    int longest = 2;
    for (int k = 0; k < ns.length; k++) {
      if (ns[k].length < 2) {
        throw new IllegalArgumentException(names.get(k) + ": needles need at least 2 bytes");
      }
      longest = Math.max(longest, ns[k].length);
      int pair = (ns[k][0] & 0xff) << 8 | ns[k][1] & 0xff;
      int[] old = byPair[pair] == null ? new int[0] : byPair[pair];
      byPair[pair] = Arrays.copyOf(old, old.length + 1);
      byPair[pair][old.length] = k;
    }
    boolean[] found = new boolean[ns.length];
    byte[] buf = new byte[BUFFER + longest];
    int kept = 0;
    while (true) {
      int n = in.readNBytes(buf, kept, BUFFER);
      int end = kept + n;
      // positions whose match could still be completed by bytes not read yet wait for the next
      // round, unless the stream ended
      int last = n == 0 ? end - 2 : end - longest;
      for (int i = 0; i <= last; i++) {
        int[] candidates = byPair[(buf[i] & 0xff) << 8 | buf[i + 1] & 0xff];
        if (candidates == null) {
          continue;
        }
        for (int k : candidates) {
          if (!found[k] && matches(buf, i, end, ns[k])) {
            found[k] = true;
          }
        }
      }
      if (n == 0) {
        break;
      }
      int from = Math.max(0, last + 1);
      kept = end - from;
      System.arraycopy(buf, from, buf, 0, kept);
    }
    List<String> hits = new ArrayList<>();
    for (int k = 0; k < ns.length; k++) {
      if (found[k]) {
        hits.add(names.get(k));
      }
    }
    return hits;
  }

  private static boolean matches(byte[] buf, int at, int end, byte[] needle) {
    if (at + needle.length > end) {
      return false;
    }
    for (int j = 0; j < needle.length; j++) {
      if (buf[at + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }

  /** Files under {@code dir} (relative paths) containing {@code needle}. */
  public static List<String> filesContaining(Path dir, byte[] needle) throws IOException {
    return filesContaining(dir, Map.of("needle", needle)).keySet().stream().toList();
  }

  /**
   * For each regular file under {@code dir} that contains any of {@code needles}: its relative path
   * and the names found (sorted by path).
   */
  public static Map<String, List<String>> filesContaining(Path dir, Map<String, byte[]> needles)
      throws IOException {
    Map<String, List<String>> hits = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : new TreeSet<>(files)) {
      List<String> found;
      try {
        found = find(f, needles);
      } catch (java.nio.file.NoSuchFileException gone) {
        continue; // removed while we walked (a temporary file)
      }
      if (!found.isEmpty()) {
        hits.put(dir.relativize(f).toString(), found);
      }
    }
    return hits;
  }
}
