package org.tafel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedSecretsTest {
  @Test
  void firstStartCreatesAPrivateFileAndTheNextReusesIt(@TempDir Path data) throws Exception {
    GeneratedSecrets secrets = new GeneratedSecrets(data, new SecureRandom());
    GeneratedSecrets.Result first = secrets.loadOrCreate(GeneratedSecrets.TURN_SECRET);
    assertTrue(first.created());
    assertEquals(data.resolve("secrets").resolve("turn-secret"), first.file());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets"))));
    assertEquals(64, first.secret().text().length(), "32 random bytes as hex");
    try (var files = Files.list(data.resolve("secrets"))) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }

    GeneratedSecrets.Result second =
        new GeneratedSecrets(data, new SecureRandom()).loadOrCreate(GeneratedSecrets.TURN_SECRET);
    assertFalse(second.created());
    assertEquals(first.secret().text(), second.secret().text());
  }
}
