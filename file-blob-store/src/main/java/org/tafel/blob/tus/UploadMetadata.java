package org.tafel.blob.tus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The tus {@code Upload-Metadata} header: comma-separated {@code key base64(value)} pairs (value
 * optional), keys non-empty, unique, without spaces or commas.
 */
public final class UploadMetadata {
  private UploadMetadata() {}

  /** Keys lower-cased; values decoded as UTF-8. */
  public static Map<String, String> parse(String header) {
    Map<String, String> out = new LinkedHashMap<>();
    if (header == null || header.isBlank()) {
      return out;
    }
    for (String pair : header.split(",", -1)) {
      String p = pair.trim();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("Upload-Metadata: empty pair");
      }
      int sp = p.indexOf(' ');
      String key = sp < 0 ? p : p.substring(0, sp);
      String value = sp < 0 ? "" : p.substring(sp + 1).trim();
      if (key.isEmpty() || value.indexOf(' ') >= 0) {
        throw new IllegalArgumentException("Upload-Metadata: malformed pair");
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Upload-Metadata: value of a key is not base64");
      }
      if (out.put(key.toLowerCase(Locale.ROOT), decoded) != null) {
        throw new IllegalArgumentException("Upload-Metadata: duplicate key");
      }
    }
    return out;
  }

  /** Formats pairs back into a header value. */
  public static String format(Map<String, String> pairs) {
    StringBuilder b = new StringBuilder();
    pairs.forEach(
        (k, v) -> {
          if (b.length() > 0) {
            b.append(',');
          }
          b.append(k)
              .append(' ')
              .append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        });
    return b.toString();
  }
}
