package org.tafel.server;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.tafel.client.cli.Cli;
import org.tafel.server.demo.DemoCommand;

/**
 * {@code tafel <command> [flags]}. Sets up logging before any logger exists, then hands over to the
 * command. Exit codes: 0 done, 1 could not start, 2 bad command line or configuration.
 */
public final class Main {
  public static final int EXIT_START_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    configureLogging();
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "serve" -> ServeCommand.run(rest);
      case "admin" -> {
        int code = AdminCommand.run(rest);
        System.out.flush();
        System.exit(code);
      }
      case "id", "send", "send-file", "receive", "call", "answer" -> {
        int code = new Cli(System.out, System.err, Path.of("").toAbsolutePath()).run(command, rest);
        System.out.flush();
        System.exit(code);
      }
      case "demo" -> System.exit(DemoCommand.run(rest));
      case "help", "--help", "-h" -> System.out.print(usage());
      default -> {
        System.err.print("tafel: unknown command '" + command + "'\n" + usage());
        System.exit(EXIT_USAGE);
      }
    }
  }

  static String usage() {
    return """
        usage: tafel <command> [flags]

        commands:
          serve    start the services of this build (see: tafel serve --help)
          admin    licence codes, identities, upload tokens (see: tafel admin --help)
          id new, send, send-file, receive, call, answer
                   the client (see: tafel id --help)
          demo     a server and two teachers: a worksheet, then a 10 s call
          help     this text
        """;
  }

  /** slf4j-simple reads these once, at its first logger; flags given with -D win. */
  private static void configureLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.log.io.netty", "warn");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
