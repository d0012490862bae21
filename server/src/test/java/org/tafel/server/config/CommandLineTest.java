package org.tafel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static String error(String... args) {
    return assertThrows(ConfigException.class, () -> CommandLine.parse(List.of(args))).getMessage();
  }

  @Test
  void unknownFlagIsNamed() {
    assertEquals("unknown flag --turn-prot (see: tafel serve --help)", error("--turn-prot", "1"));
  }

  @Test
  void missingValueSaysWhatIsExpected() {
    assertEquals("--turn-port: missing value (expected: N)", error("--turn-port"));
  }

  @Test
  void secretOnTheCommandLineWarnsWithoutRepeatingIt() {
    CommandLine cli = CommandLine.parse(List.of("--turn-secret", "s3cret"));
    assertEquals(1, cli.warnings().size());
    assertTrue(cli.warnings().get(0).contains("development"));
    assertFalse(cli.warnings().get(0).contains("s3cret"));
  }

  @Test
  void userWithoutPasswordIsRefusedWithoutShowingIt() {
    String m = error("--user", "alice");
    assertTrue(m.startsWith("--user: "), m);
    assertTrue(m.endsWith("(expected: NAME:PASSWORD)"), m);
  }

  @Test
  void configAndTestFlagsAreParsed() {
    CommandLine cli =
        CommandLine.parse(
            List.of("--config=/etc/tafel.yaml", "--exit-on-stdin-close", "--insecure"));
    assertEquals(Path.of("/etc/tafel.yaml"), cli.configFile());
    assertTrue(cli.exitOnStdinClose());
    assertTrue(cli.overlay().get("insecure").booleanValue());
  }

  @Test
  void usageListsEveryFlagWithItsKey() {
    String usage = CommandLine.usage();
    assertTrue(usage.contains("--turn-port N"), usage);
    assertTrue(usage.contains("(relay.turn-port)"), usage);
    assertTrue(usage.contains("--allow-peer CIDR"), usage);
  }
}
