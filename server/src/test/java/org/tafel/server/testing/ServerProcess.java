package org.tafel.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Tafel server started as a child JVM ({@code java} directly, on the test JVM's classpath), for
 * tests that need a real process: its own ports, signals, exit codes. The child runs with {@code
 * --exit-on-stdin-close}, so it also dies when the test JVM does.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.start(dataDir, "--only", "relay")) {
 *   int turn = server.port("turn");
 *   ...
 * }
 * }</pre>
 */
public final class ServerProcess implements AutoCloseable {
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final String READY_PREFIX = "tafel ready";

  private final Process process;
  private final StringBuffer stdout = new StringBuffer();
  private final StringBuffer stderr = new StringBuffer();
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private ServerProcess(Process process) {
    this.process = process;
    this.stdoutPump = pump(process.getInputStream(), stdout, true, "stdout");
    this.stderrPump = pump(process.getErrorStream(), stderr, false, "stderr");
  }

  /**
   * Starts {@code serve --data DATA --exit-on-stdin-close} plus {@code flags}, every port 0 unless
   * a flag says otherwise, and waits for the ready line. Fails with the child's output when the
   * child exits or is not ready within {@link #READY_TIMEOUT}.
   */
  public static ServerProcess start(Path dataDir, String... flags) {
    return start(List.of(), Map.of(), dataDir, flags);
  }

  /**
   * As {@link #start(Path, String...)}, with JVM options for the child after the defaults (a later
   * {@code -Xmx} wins) and variables added to its environment.
   */
  public static ServerProcess start(
      List<String> jvmOptions, Map<String, String> environment, Path dataDir, String... flags) {
    List<String> args = new ArrayList<>(List.of("serve", "--data", dataDir.toString()));
    List<String> given = List.of(flags);
    for (String portFlag :
        List.of("--turn-port", "--turns-port", "--admin-port", "--signaling-port", "--blob-port")) {
      if (!given.contains(portFlag)) {
        args.add(portFlag);
        args.add("0");
      }
    }
    args.add("--exit-on-stdin-close");
    args.addAll(given);
    ServerProcess p = launch(jvmOptions, environment, args);
    p.awaitReady(READY_TIMEOUT);
    return p;
  }

  /**
   * Starts {@code java ... org.tafel.server.Main} with exactly {@code args} and returns at once;
   * use {@link #awaitReady} or {@link #awaitExit}.
   */
  public static ServerProcess launch(List<String> args) {
    return launch(List.of(), Map.of(), args);
  }

  /** As {@link #launch(List)}, with JVM options after the defaults and environment variables. */
  public static ServerProcess launch(
      List<String> jvmOptions, Map<String, String> environment, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:MaxDirectMemorySize=128m");
    for (String property :
        List.of("io.netty.leakDetection.level", "io.netty.leakDetection.targetRecords")) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.tafel.server.Main");
    command.addAll(args);
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().putAll(environment);
      return new ServerProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Waits for the {@code tafel ready ...} line and returns it. */
  public String awaitReady(Duration timeout) {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw new AssertionError("server not ready within " + timeout + "\n" + output(), e);
    } catch (ExecutionException e) {
      Integer code = exitCodeOrNull();
      joinPumps();
      throw new AssertionError(
          "server exited before it was ready (exit code " + code + ")\n" + output(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The ready line's ports: {@code admin}, {@code turn}, {@code turns}, ... */
  public Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    String line = awaitReady(READY_TIMEOUT);
    for (String part : line.substring(READY_PREFIX.length()).trim().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        ports.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
      }
    }
    return ports;
  }

  /** One port from the ready line; fails when the line has no such name. */
  public int port(String name) {
    Integer port = ports().get(name);
    if (port == null) {
      throw new AssertionError("no port '" + name + "' in: " + awaitReady(READY_TIMEOUT));
    }
    return port;
  }

  public int adminPort() {
    return port("admin");
  }

  public int turnPort() {
    return port("turn");
  }

  public int turnsPort() {
    return port("turns");
  }

  public int signalingPort() {
    return port("signaling");
  }

  /** The blob store's bound port, from the ready line. */
  public int blobPort() {
    return port("blob");
  }

  /** Closes the child's stdin; with {@code --exit-on-stdin-close} it then stops cleanly. */
  public void closeStdin() {
    try {
      OutputStream in = process.getOutputStream();
      in.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /**
   * Sends SIGTERM and leaves the pipes open ({@link Process#destroy()} would also close stdin, so
   * the child could stop for that reason instead). A JVM stopped this way exits with 143.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Waits for the child to exit; returns its exit code, or fails with its output. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("server still running after " + timeout + "\n" + output());
      }
      joinPumps();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the child printed on stdout so far. */
  public String stdout() {
    return stdout.toString();
  }

  /** Everything the child printed on stderr so far (its log). */
  public String stderr() {
    return stderr.toString();
  }

  /** Both streams, for failure messages. */
  public String output() {
    return "--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
  }

  /**
   * Stops the child and every process it started: closes stdin, waits briefly for a clean exit,
   * then kills the whole tree.
   */
  @Override
  public void close() {
    closeStdin();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // best effort
      }
    }
  }

  private void joinPumps() {
    try {
      stdoutPump.join(5_000);
      stderrPump.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Integer exitCodeOrNull() {
    try {
      process.waitFor(2, TimeUnit.SECONDS);
      return process.isAlive() ? null : process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private Thread pump(InputStream in, StringBuffer into, boolean watchReady, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  into.append(line).append('\n');
                  if (watchReady && line.startsWith(READY_PREFIX)) {
                    ready.complete(line);
                  }
                }
              } catch (IOException e) {
                // the process is gone
              } finally {
                if (watchReady) {
                  ready.completeExceptionally(new IllegalStateException("stdout closed"));
                }
              }
            },
            "server-process-" + process.pid() + "-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
