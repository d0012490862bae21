package org.tafel.client.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script from {@code src/test/js} under the system's {@code node}. A missing {@code node} or
 * missing {@code node_modules} fails the calling test: the interop checks never skip.
 */
public final class NodeScript {
  public static final Path DIR = Path.of("src", "test", "js").toAbsolutePath();

  private NodeScript() {}

  /** Runs {@code node script args...}; returns stdout, fails the test on a non-zero exit. */
  public static String run(String script, String... args) throws IOException, InterruptedException {
    String node = findNode();
    if (!Files.isDirectory(DIR.resolve("node_modules"))) {
      fail(
          "no "
              + DIR.resolve("node_modules")
              + ": run `npm ci` there (./tafel test does it) before running this test");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(node);
    cmd.add(DIR.resolve(script).toString());
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("node-stderr", ".txt");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(DIR.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("node " + script + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        fail(
            "node "
                + script
                + " exited "
                + p.exitValue()
                + ": "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static String findNode() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, "node");
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return fail(
        "node is not on PATH; the libsodium.js interop test needs the system's Node (Debian:"
            + " apt-get install -y nodejs npm)");
  }
}
