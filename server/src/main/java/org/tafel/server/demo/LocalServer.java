package org.tafel.server.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code tafel serve} as a child process on this JVM's classpath, every port 0, with {@code
 * --exit-on-stdin-close} (so it dies with its parent); its log goes to a file.
 */
public final class LocalServer implements AutoCloseable {
  private final Process process;
  private final Map<String, Integer> ports;

  private LocalServer(Process process, Map<String, Integer> ports) {
    this.process = process;
    this.ports = ports;
  }

  /** Starts the server on {@code data} and waits (up to {@code timeout}) for its ready line. */
  public static LocalServer start(Path data, Path log, Duration timeout, String... flags)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:MaxDirectMemorySize=128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.tafel.server.Main");
    command.addAll(List.of("serve", "--data", data.toString()));
    for (String p :
        List.of("--turn-port", "--turns-port", "--admin-port", "--signaling-port", "--blob-port")) {
      command.add(p);
      command.add("0");
    }
    command.add("--exit-on-stdin-close");
    command.addAll(List.of(flags));
    Process p =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  if (line.startsWith("tafel ready")) {
                    ready.complete(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              ready.completeExceptionally(new IOException("the server exited before it was ready"));
            },
            "tafel-demo-server-stdout");
    pump.setDaemon(true);
    pump.start();
    String line;
    try {
      line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("the server did not start (log: " + log + "): " + e.getMessage(), e);
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String part : line.substring("tafel ready".length()).trim().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        ports.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
      }
    }
    return new LocalServer(p, ports);
  }

  public int port(String name) {
    Integer p = ports.get(name);
    if (p == null) {
      throw new IllegalStateException("the server runs no " + name + " (ports: " + ports + ")");
    }
    return p;
  }

  public long pid() {
    return process.pid();
  }

  /** Closes stdin (a clean stop), waits up to 20 s, then kills. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
