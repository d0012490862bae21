package org.tafel.client.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tafel.client.CallNotAnsweredException;
import org.tafel.client.CallResult;
import org.tafel.client.TafelClient;
import org.tafel.client.TafelEvent;
import org.tafel.client.call.ice.RelayUnavailableException;
import org.tafel.client.crypto.KeyChangedException;
import org.tafel.client.crypto.Profile;
import org.tafel.client.signaling.ServerUnreachableException;
import org.tafel.client.signaling.SessionEndedException;
import org.tafel.client.signaling.SignalingException;
import org.tafel.protocol.signaling.ErrorCode;

/**
 * {@code tafel id new|send|send-file|receive|call|answer}: parses the command line, runs the
 * command with a {@link TafelClient}, maps failures to {@link ExitCode}s. Results go to {@code
 * out}, messages for people to {@code err}.
 */
public final class Cli {
  public static final Set<String> COMMANDS =
      Set.of("id", "send", "send-file", "receive", "call", "answer");

  private static final Set<String> COMMON = Set.of("--server", "--profile", "--blob-server");

  private final PrintStream out;
  private final PrintStream err;
  private final Path workingDir;

  public Cli(PrintStream out, PrintStream err, Path workingDir) {
    this.out = out;
    this.err = err;
    this.workingDir = workingDir;
  }

  /** Runs {@code command} with {@code args}; returns the exit code. */
  public int run(String command, List<String> args) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(usage());
      return ExitCode.OK;
    }
    try {
      return switch (command) {
        case "id" -> id(args);
        case "send" -> send(args);
        case "send-file" -> FileCommands.sendFile(this, args);
        case "receive" -> receive(args);
        case "call" -> call(args);
        case "answer" -> answer(args);
        default -> throw new UsageException("unknown command " + command);
      };
    } catch (UsageException e) {
      err.println("tafel " + command + ": " + e.getMessage());
      err.print(usage());
      return ExitCode.USAGE;
    } catch (KeyChangedException e) {
      err.println("tafel: REFUSED: " + e.getMessage());
      err.println(
          "tafel: compare the fingerprints with the other person (or the server's operator)"
              + " before accepting a new key");
      return ExitCode.KEY_CHANGED;
    } catch (ServerUnreachableException e) {
      err.println("tafel: the server is unreachable: " + e.getMessage());
      return ExitCode.UNREACHABLE;
    } catch (SessionEndedException e) {
      err.println("tafel: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (SignalingException e) {
      err.println("tafel: the server refused: " + e.getMessage());
      return e.code() == ErrorCode.UNKNOWN_IDENTITY || e.code() == ErrorCode.UNKNOWN_RECIPIENT
          ? ExitCode.UNKNOWN_ID
          : ExitCode.FAILED;
    } catch (CallNotAnsweredException e) {
      err.println("tafel: " + e.getMessage());
      return ExitCode.NOT_ANSWERED;
    } catch (TimeoutException e) {
      err.println("tafel: " + e.getMessage());
      return ExitCode.TIMEOUT;
    } catch (RelayUnavailableException e) {
      err.println("tafel: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED;
    } catch (Exception e) {
      err.println("tafel: " + e.getMessage());
      return ExitCode.FAILED;
    }
  }

  /** A wait that ended without what it waited for (exit 6). */
  static final class TimeoutException extends Exception {
    TimeoutException(String message) {
      super(message);
    }
  }

  public static String usage() {
    return """
        usage:
          tafel id new [--licence CODE]           create keys and register; prints the new ID
          tafel send --to ID[,ID...] TEXT         send a text; prints the message ID
          tafel send-file --to ID[,ID...] FILE    encrypt, upload once, send; prints the blob ID
          tafel receive [--out DIR] [--timeout S] receive until S seconds (10) after the last
          tafel call ID [--seconds N]             call, hold N seconds (10), print statistics
          tafel answer [--timeout S]              wait S seconds (60) for a call, answer it
        every command: --server URL (ws://, wss://, http://, https://, host:port; default the
          local server), --profile DIR (default ~/.tafel), --blob-server URL
        exit codes: 0 ok, 2 usage, 3 unreachable, 4 unknown ID, 5 not answered or declined,
          6 timeout, 7 key change refused
        """;
  }

  // ---------------------------------------------------------------- commands

  private int id(List<String> args) throws Exception {
    Args a = parse(args, "--licence");
    if (a.positional.size() != 1 || !a.positional.get(0).equals("new")) {
      throw new UsageException("expected: id new [--licence CODE]");
    }
    Path profileDir = profileDir(a);
    if (Files.exists(profileDir.resolve(Profile.IDENTITY_FILE))) {
      Optional<String> existing = Profile.open(profileDir).identityId();
      if (existing.isPresent()) {
        throw new UsageException(
            "the profile "
                + profileDir
                + " already holds identity "
                + existing.get()
                + " (expected: a new --profile DIR)");
      }
    }
    TafelClient.Options o = options(a).withLicence(a.get("--licence"));
    try (TafelClient c = TafelClient.create(profileDir, o)) {
      err.println("tafel: registered; your key's fingerprint: " + c.profile().fingerprint());
      out.println(c.identity());
    }
    return ExitCode.OK;
  }

  private int send(List<String> args) throws Exception {
    Args a = parse(args, "--to");
    List<String> to = recipients(a);
    if (a.positional.isEmpty()) {
      throw new UsageException("expected: send --to ID[,ID...] TEXT");
    }
    String text = String.join(" ", a.positional);
    try (TafelClient c = open(a)) {
      byte[] id = c.sendText(to, text);
      out.println(HexFormat.of().formatHex(id));
    }
    return ExitCode.OK;
  }

  private int receive(List<String> args) throws Exception {
    Args a = parse(args, "--out", "--timeout");
    if (!a.positional.isEmpty()) {
      throw new UsageException("expected: receive [--out DIR] [--timeout S]");
    }
    Duration idle = Duration.ofSeconds(a.seconds("--timeout", 10, 86_400));
    Path outDir = a.get("--out") == null ? workingDir : workingDir.resolve(a.get("--out"));
    Files.createDirectories(outDir);
    ServerAddress address = address(a);
    try (TafelClient c = TafelClient.open(profileDir(a), options(address))) {
      while (true) {
        Optional<TafelEvent> e = c.nextEvent(idle);
        if (e.isEmpty()) {
          return ExitCode.OK;
        }
        if (e.get() instanceof TafelEvent.Text t) {
          out.println("text " + t.sender() + " " + printable(t.text()));
        } else if (e.get() instanceof TafelEvent.File f) {
          FileCommands.receiveFile(this, c, address, f, outDir);
        } else if (e.get() instanceof TafelEvent.Expired x) {
          out.println("expired " + x.recipient() + " " + HexFormat.of().formatHex(x.messageId()));
        } else if (e.get() instanceof TafelEvent.MissedCall m) {
          out.println("missed-call " + m.caller());
        } else if (e.get() instanceof TafelEvent.Ended end) {
          err.println("tafel: " + end.reason());
          return ExitCode.FAILED;
        }
        out.flush();
      }
    }
  }

  private int call(List<String> args) throws Exception {
    Args a = parse(args, "--seconds");
    if (a.positional.size() != 1) {
      throw new UsageException("expected: call ID [--seconds N]");
    }
    long seconds = a.seconds("--seconds", 10, 86_400);
    try (TafelClient c = open(a)) {
      err.println("tafel: calling " + a.positional.get(0) + " ...");
      CallResult r = c.call(a.positional.get(0), Duration.ofSeconds(seconds));
      out.print(r.format());
    }
    return ExitCode.OK;
  }

  private int answer(List<String> args) throws Exception {
    Args a = parse(args, "--timeout");
    if (!a.positional.isEmpty()) {
      throw new UsageException("expected: answer [--timeout S]");
    }
    long timeout = a.seconds("--timeout", 60, 86_400);
    try (TafelClient c = open(a)) {
      err.println("tafel: waiting " + timeout + " s for a call ...");
      TafelClient.IncomingCall in =
          c.awaitCall(Duration.ofSeconds(timeout))
              .orElseThrow(() -> new TimeoutException("no call within " + timeout + " s"));
      err.println("tafel: answering " + in.caller());
      CallResult r = c.answer(in, Duration.ofHours(1));
      out.print(r.format());
    }
    return ExitCode.OK;
  }

  // ---------------------------------------------------------------- helpers

  Args parse(List<String> args, String... flags) throws UsageException {
    List<String> allowed = new ArrayList<>(COMMON);
    allowed.addAll(List.of(flags));
    return Args.parse(args, Set.copyOf(allowed));
  }

  List<String> recipients(Args a) throws UsageException {
    String to = a.get("--to");
    if (to == null || to.isBlank()) {
      throw new UsageException("--to: missing (expected: ID[,ID...])");
    }
    List<String> ids = new ArrayList<>();
    for (String id : to.split(",")) {
      String s = id.trim().toUpperCase(java.util.Locale.ROOT);
      if (!s.matches("[A-Z0-9]{8}")) {
        throw new UsageException("--to: " + id + " (expected: 8 characters A-Z 0-9)");
      }
      if (!ids.contains(s)) {
        ids.add(s);
      }
    }
    return ids;
  }

  Path profileDir(Args a) {
    String p = a.get("--profile");
    return p != null ? workingDir.resolve(p) : Path.of(System.getProperty("user.home"), ".tafel");
  }

  ServerAddress address(Args a) throws UsageException {
    return ServerAddress.resolve(
        a.get("--server"),
        a.get("--blob-server"),
        workingDir.resolve("data").resolve("run").resolve("ports.json"));
  }

  TafelClient.Options options(Args a) throws UsageException {
    return options(address(a));
  }

  static TafelClient.Options options(ServerAddress address) {
    return TafelClient.Options.of(address.signaling());
  }

  TafelClient open(Args a) throws Exception {
    return TafelClient.open(profileDir(a), options(a));
  }

  PrintStream out() {
    return out;
  }

  Path workingDir() {
    return workingDir;
  }

  PrintStream err() {
    return err;
  }

  /** One line: backslashes, line breaks and other control characters escaped. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              if (c == '\\') {
                b.append("\\\\");
              } else if (c == '\n') {
                b.append("\\n");
              } else if (c == '\r') {
                b.append("\\r");
              } else if (c == '\t') {
                b.append("\\t");
              } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
