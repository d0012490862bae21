package org.tafel.client.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * File names chosen by someone else, made safe to create in a local directory: {@link
 * #baseName(String)} keeps only a harmless last path component, {@link #createNew(Path, String)}
 * creates it without ever replacing an existing file or following a link.
 */
public final class SafeFileNames {
  /** Bytes (UTF-8) a base name may take, leaving room for " (9999)" under ext4's 255. */
  public static final int MAX_BYTES = 200;

  static final String FALLBACK = "file";
  private static final int MAX_EXTENSION_BYTES = 16;
  private static final int MAX_ATTEMPTS = 10_000;
  private static final Set<String> WINDOWS_DEVICES =
      Set.of(
          "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
          "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  private SafeFileNames() {}

  /**
   * The last component of {@code name} after '/' and '\', NFC-normalised, without control and
   * format characters (bidirectional overrides included), with characters Windows forbids replaced
   * by '_', without leading or trailing dots and spaces (so never "." or ".." and never hidden),
   * not a Windows device name, at most {@link #MAX_BYTES} UTF-8 bytes with its extension kept;
   * {@code "file"} if nothing is left.
   */
  public static String baseName(String name) {
    if (name == null) {
      return FALLBACK;
    }
    String s = Normalizer.normalize(name, Normalizer.Form.NFC);
    int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    s = s.substring(cut + 1);
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            cp -> {
              int type = Character.getType(cp);
              if (type == Character.CONTROL
                  || type == Character.FORMAT
                  || type == Character.LINE_SEPARATOR
                  || type == Character.PARAGRAPH_SEPARATOR
                  || type == Character.SURROGATE
                  || type == Character.PRIVATE_USE
                  || type == Character.UNASSIGNED) {
                return;
              }
              if ("<>:\"|?*".indexOf(cp) >= 0) {
                sb.append('_');
              } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                sb.append(' ');
              } else {
                sb.appendCodePoint(cp);
              }
            });
    s = strip(sb.toString());
    int dot = s.indexOf('.');
    String stem = dot < 0 ? s : s.substring(0, dot);
    if (WINDOWS_DEVICES.contains(stem.trim().toUpperCase(Locale.ROOT))) {
      s = "_" + s;
    }
    s = capBytes(s);
    return s.isEmpty() ? FALLBACK : s;
  }

  /**
   * Creates a new empty file for {@code untrustedName} in {@code dir}: {@link #baseName}, then
   * {@code name (1).ext}, {@code name (2).ext}, ... until a name is free. Creation is atomic
   * (O_EXCL), so an existing file, directory or link is never replaced or followed.
   */
  public static Path createNew(Path dir, String untrustedName) throws IOException {
    String base = baseName(untrustedName);
    int dot = base.lastIndexOf('.');
    String stem = dot > 0 ? base.substring(0, dot) : base;
    String ext = dot > 0 ? base.substring(dot) : "";
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      String candidate = i == 0 ? base : stem + " (" + i + ")" + ext;
      Path p = dir.resolve(candidate);
      if (!dir.equals(p.getParent())) {
        throw new IllegalStateException("name escaped its directory: " + candidate);
      }
      try {
        return Files.createFile(p);
      } catch (FileAlreadyExistsException taken) {
        // try the next number
      }
    }
    throw new IOException(
        "no free name for " + base + " in " + dir + " after " + MAX_ATTEMPTS + " attempts");
  }

  private static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == '.' || s.charAt(start) == ' ')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Shortens the stem (keeping a short extension) until the name fits {@link #MAX_BYTES}. */
  private static String capBytes(String s) {
    if (utf8(s) <= MAX_BYTES) {
      return s;
    }
    int dot = s.lastIndexOf('.');
    String ext = dot > 0 ? s.substring(dot) : "";
    if (utf8(ext) > MAX_EXTENSION_BYTES) {
      ext = "";
    }
    String stem = ext.isEmpty() ? s : s.substring(0, dot);
    int budget = MAX_BYTES - utf8(ext);
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (int i = 0; i < stem.length(); ) {
      int cp = stem.codePointAt(i);
      int n = utf8(new String(Character.toChars(cp)));
      if (used + n > budget) {
        break;
      }
      out.appendCodePoint(cp);
      used += n;
      i += Character.charCount(cp);
    }
    return strip(out.toString()) + ext;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
