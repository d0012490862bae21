package org.tafel.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tafel.server.config.TafelConfig;
import org.tafel.signaling.SignalingAdmin;
import org.tafel.signaling.store.Licence;
import org.tafel.signaling.store.StoreException;

/**
 * {@code tafel admin ...}: operator commands on a data directory: licence codes and identities in
 * the signaling store, upload tokens for the blob store. They work while the server runs (SQLite
 * serialises the writers; the server reads identities at every login; tokens are stateless).
 */
final class AdminCommand {
  private AdminCommand() {}

  static String usage() {
    return """
        usage: tafel admin <command> [--data DIR]

        commands:
          licence create --count N   create N licence codes and print them, one a line
          licence list               print every code: code, created, used (yes/no), revoked
          licence revoke CODE        revoke a code; a used code also revokes its identity
          identity revoke ID         revoke an identity: its key, queue and receipts are deleted
          upload-token [--max-bytes N]
                                     print a ut1 upload token for the blob store
                                     (tafel admin upload-token --help)

          --data DIR                 data directory (default ./data)
        """;
  }

  /** Runs the command; returns the exit code. */
  static int run(List<String> args) {
    if (!args.isEmpty() && args.get(0).equals("upload-token")) {
      UploadTokenCommand.run(args.subList(1, args.size()));
      return 0;
    }
    List<String> words = new ArrayList<>();
    Path data = Path.of(TafelConfig.DEFAULT_DATA_DIR);
    Integer count = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--data") || a.equals("--count")) && i + 1 >= args.size()) {
        return usageError(a + ": missing value");
      }
      if (a.equals("--data")) {
        data = Path.of(args.get(++i));
      } else if (a.startsWith("--data=")) {
        data = Path.of(a.substring(7));
      } else if (a.equals("--count") || a.startsWith("--count=")) {
        String v = a.equals("--count") ? args.get(++i) : a.substring(8);
        try {
          count = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          return usageError("--count: '" + v + "' (expected: a number 1..100000)");
        }
      } else if (a.equals("--help") || a.equals("-h")) {
        System.out.print(usage());
        return 0;
      } else if (a.startsWith("-")) {
        return usageError("unknown flag " + a);
      } else {
        words.add(a);
      }
    }
    String command = String.join(" ", words.subList(0, Math.min(2, words.size())));
    List<String> rest = words.subList(Math.min(2, words.size()), words.size());
    if (!List.of("licence create", "licence list", "licence revoke", "identity revoke")
        .contains(command)) {
      // checked before the store is opened, which would create it
      return usageError("unknown admin command '" + command + "'");
    }
    try (SignalingAdmin admin = SignalingAdmin.open(data, Clock.systemUTC())) {
      switch (command) {
        case "licence create" -> {
          if (count == null || !rest.isEmpty()) {
            return usageError("licence create: expected --count N");
          }
          admin.createLicences(count).forEach(System.out::println);
          return 0;
        }
        case "licence list" -> {
          for (Licence l : admin.licences()) {
            System.out.println(
                l.code()
                    + " created="
                    + Instant.ofEpochMilli(l.created())
                    + " used="
                    + (l.usedBy() != null ? "yes" : "no")
                    + " revoked="
                    + (l.revoked() ? "yes" : "no"));
          }
          return 0;
        }
        case "licence revoke" -> {
          if (rest.size() != 1) {
            return usageError("licence revoke: expected one CODE");
          }
          if (!admin.revokeLicence(rest.get(0))) {
            System.err.println("tafel: licence " + rest.get(0) + ": no such code");
            return 1;
          }
          System.out.println("revoked");
          return 0;
        }
        case "identity revoke" -> {
          if (rest.size() != 1 || !rest.get(0).matches("[A-Z0-9]{8}")) {
            return usageError("identity revoke: expected one ID of 8 characters A-Z 0-9");
          }
          if (!admin.revokeIdentity(rest.get(0))) {
            System.err.println("tafel: identity " + rest.get(0) + ": no active identity");
            return 1;
          }
          System.out.println("revoked");
          return 0;
        }
        default -> {
          return usageError("unknown admin command '" + command + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      return usageError(e.getMessage());
    } catch (StoreException e) {
      System.err.println("tafel: " + e.getMessage());
      return 1;
    }
  }

  private static int usageError(String message) {
    System.err.print("tafel: " + message + "\n" + usage());
    return Main.EXIT_USAGE;
  }
}
