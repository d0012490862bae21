package org.tafel.server;

import java.util.List;

/**
 * {@code tafel admin <subcommand> [flags]}: operator commands that work while the server runs (they
 * read the data directory, never a running process). Exit codes as {@link Main}.
 */
final class AdminCommand {
  private AdminCommand() {}

  static void run(List<String> args) {
    String sub = args.isEmpty() ? "--help" : args.get(0);
    List<String> rest = args.subList(Math.min(1, args.size()), args.size());
    switch (sub) {
      case "upload-token" -> UploadTokenCommand.run(rest);
      case "help", "--help", "-h" -> System.out.print(usage());
      default -> {
        System.err.print("tafel admin: unknown subcommand '" + sub + "'\n" + usage());
        System.exit(Main.EXIT_USAGE);
      }
    }
  }

  static String usage() {
    return """
        usage: tafel admin <subcommand> [flags]

        subcommands:
          upload-token   print a ut1 upload token for the blob store (tafel admin upload-token --help)
        """;
  }
}
