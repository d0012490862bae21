package org.tafel.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.tafel.protocol.token.Pseudonyms;
import org.tafel.protocol.token.UploadTokens;
import org.tafel.server.config.GeneratedSecrets;
import org.tafel.server.config.TafelConfig;

/**
 * {@code tafel admin upload-token --data DIR [--max-bytes N] [--sub NAME] [--valid SECONDS]}:
 * prints only a {@code ut1} upload token (DESIGN.md §4) signed with the data directory's upload
 * token key, for operators and scripts. {@code --sub} names the uploader (default {@code
 * operator}); the token carries its blob-store pseudonym, never the name itself. Keys missing from
 * the data directory are generated, as {@code serve} would.
 */
final class UploadTokenCommand {
  private UploadTokenCommand() {}

  static void run(List<String> args) {
    Path data = Path.of(TafelConfig.DEFAULT_DATA_DIR);
    long maxBytes = TafelConfig.Blob.DEFAULT_MAX_BYTES;
    String sub = "operator";
    long valid = UploadTokens.MAX_VALIDITY.toSeconds();
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--help", "-h" -> {
            System.out.print(usage());
            return;
          }
          case "--data" -> data = Path.of(value(args, ++i, a));
          case "--max-bytes" -> maxBytes = number(value(args, ++i, a), a, 1, 1L << 40);
          case "--sub" -> sub = value(args, ++i, a);
          case "--valid" -> valid = number(value(args, ++i, a), a, 1, 3600);
          default -> throw new IllegalArgumentException("unknown flag '" + a + "'");
        }
      }
      if (sub.isEmpty() || sub.length() > 256) {
        throw new IllegalArgumentException("--sub: expected 1 to 256 characters");
      }
    } catch (IllegalArgumentException e) {
      System.err.print("tafel admin upload-token: " + e.getMessage() + "\n" + usage());
      System.exit(Main.EXIT_USAGE);
      return;
    }
    GeneratedSecrets secrets = new GeneratedSecrets(data, new SecureRandom());
    var keys = secrets.keyRing(GeneratedSecrets.UPLOAD_TOKEN_KEY);
    byte[] pseudonymKey =
        secrets.loadOrCreate(GeneratedSecrets.BLOB_PSEUDONYM_KEY).secret().value();
    String owner = new Pseudonyms(Pseudonyms.BLOB, pseudonymKey).constant(sub);
    String token =
        new UploadTokens(keys, Clock.systemUTC()).issue(owner, maxBytes, Duration.ofSeconds(valid));
    System.out.write((token + "\n").getBytes(StandardCharsets.US_ASCII), 0, token.length() + 1);
    System.out.flush();
  }

  private static String value(List<String> args, int i, String flag) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(flag + ": value missing");
    }
    return args.get(i);
  }

  private static long number(String text, String flag, long min, long max) {
    try {
      long n = Long.parseLong(text);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag + ": '" + text + "' (expected: " + min + ".." + max + ")");
    }
  }

  static String usage() {
    return """
        usage: tafel admin upload-token [--data DIR] [--max-bytes N] [--sub NAME] [--valid SECONDS]

          --data DIR         data directory whose upload-token key signs (default ./data)
          --max-bytes N      bytes the upload may use, the token's cap (default 104857600)
          --sub NAME         uploader the quota is kept for (default operator); the token
                             carries its blob-store pseudonym
          --valid SECONDS    validity, 1..3600 (default 3600)

        Prints only the token.
        """;
  }
}
