package org.tafel.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.server.config.CommandLine;
import org.tafel.server.config.ConfigException;
import org.tafel.server.config.ConfigLoader;
import org.tafel.server.config.SecretResolver;
import org.tafel.server.config.TafelConfig;

/**
 * {@code tafel serve}: load the configuration, start the services, print the ready line, and stop
 * cleanly on SIGTERM/SIGINT (or when stdin closes, with {@code --exit-on-stdin-close}).
 */
final class ServeCommand {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  private ServeCommand() {}

  static void run(List<String> args) {
    CommandLine cli;
    TafelConfig config;
    try {
      cli = CommandLine.parse(args);
      if (cli.help()) {
        System.out.print(CommandLine.usage());
        return;
      }
      cli.warnings().forEach(log::warn);
      config = new ConfigLoader(SecretResolver.system()).load(cli.configFile(), cli.overlay());
    } catch (ConfigException e) {
      System.err.println("tafel: " + e.getMessage());
      System.exit(Main.EXIT_USAGE);
      return;
    }
    checkHeap(config.heap());

    TafelServer server;
    try {
      server = TafelServer.start(config, Clock.systemUTC());
    } catch (StartException | ConfigException e) {
      System.err.println("tafel: " + e.getMessage());
      System.exit(e instanceof ConfigException ? Main.EXIT_USAGE : Main.EXIT_START_FAILED);
      return;
    } catch (RuntimeException e) {
      log.error("start failed", e);
      System.err.println("tafel: start failed: " + e);
      System.exit(Main.EXIT_START_FAILED);
      return;
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  log.info("stopped");
                  stopped.countDown();
                },
                "tafel-shutdown"));
    log.info("ready: {}", server.ports());
    System.out.println(server.readyLine());
    System.out.flush();
    if (cli.exitOnStdinClose()) {
      watchStdin();
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Exits the JVM (running the shutdown hook) once stdin reaches end of file. */
  private static void watchStdin() {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[256];
              try (InputStream in = System.in) {
                while (in.read(buf) >= 0) {
                  // discard
                }
              } catch (IOException e) {
                // treated as end of file
              }
              log.info("stdin closed; stopping");
              System.exit(0);
            },
            "tafel-stdin-watch");
    t.setDaemon(true);
    t.start();
  }

  private static void checkHeap(String configured) {
    if (configured == null) {
      log.info("heap: {} MiB", Runtime.getRuntime().maxMemory() >> 20);
      return;
    }
    long want = parseSize(configured);
    long max = Runtime.getRuntime().maxMemory();
    // maxMemory() leaves out one survivor space, so allow some slack.
    if (max < want * 0.85 || max > want * 1.15) {
      log.warn(
          "heap: {} configured, but this JVM runs with {} MiB (set -Xmx, or TAFEL_HEAP for ./tafel)",
          configured,
          max >> 20);
    }
  }

  static long parseSize(String size) {
    long n = Long.parseLong(size.substring(0, size.length() - 1));
    return switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      default -> n << 30;
    };
  }
}
