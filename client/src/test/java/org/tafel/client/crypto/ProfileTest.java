package org.tafel.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void createsTheDirectory0700AndEveryFile0600(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("nested").resolve("profile");
    Profile p = Profile.create(dir, random);
    p.setIdentityId("TEACH001");
    p.pinContact("PUPIL002", KeyPair.generate(random).publicKey());
    p.pinServer(KeyPair.generate(random).publicKey());

    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        assertEquals(
            "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "" + f);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          java.util.Set.of(Profile.IDENTITY_FILE, Profile.PINS_FILE),
          java.util.Set.copyOf(files.map(f -> f.getFileName().toString()).toList()),
          "no temporary files left behind");
    }
  }

  @Test
  void reopensWithTheSameKeysIdAndPins(@TempDir Path dir) throws Exception {
    Profile p = Profile.create(dir, random);
    byte[] pupil = KeyPair.generate(random).publicKey();
    byte[] server = KeyPair.generate(random).publicKey();
    p.setIdentityId("TEACH001");
    p.pinContact("PUPIL002", pupil);
    p.pinServer(server);

    Profile again = Profile.open(dir);
    assertArrayEquals(p.publicKey(), again.publicKey());
    assertEquals(Optional.of("TEACH001"), again.identityId());
    assertArrayEquals(pupil, again.contactKey("PUPIL002").orElseThrow());
    assertArrayEquals(server, again.serverKey().orElseThrow());
    // Pins survive the restart: a different key is still refused.
    assertThrows(
        KeyChangedException.class,
        () -> again.pinContact("PUPIL002", KeyPair.generate(random).publicKey()));
  }

  @Test
  void pinsTheServerKeyOnFirstContactAndRefusesAnotherUntilAccepted(@TempDir Path dir)
      throws Exception {
    Profile p = Profile.create(dir, random);
    byte[] first = KeyPair.generate(random).publicKey();
    byte[] second = KeyPair.generate(random).publicKey();
    p.pinServer(first);
    p.pinServer(first);
    KeyChangedException e = assertThrows(KeyChangedException.class, () -> p.pinServer(second));
    assertEquals("the server", e.subject());
    assertEquals(Fingerprint.of(first), e.pinnedFingerprint());
    p.acceptServerKey(second);
    p.pinServer(second);
    assertArrayEquals(second, Profile.open(dir).serverKey().orElseThrow());
  }

  @Test
  void refusesAProfileFileOthersCanRead(@TempDir Path dir) throws Exception {
    Profile.create(dir, random);
    Path id = dir.resolve(Profile.IDENTITY_FILE);
    Files.setPosixFilePermissions(id, PosixFilePermissions.fromString("rw-r--r--"));
    ProfileException e = assertThrows(ProfileException.class, () -> Profile.open(dir));
    assertTrue(e.getMessage().contains("expected: 0600"), e.getMessage());
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void refusesAProfileDirectoryOthersCanList(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p");
    Profile.create(p, random);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-x---"));
    ProfileException e = assertThrows(ProfileException.class, () -> Profile.open(p));
    assertTrue(e.getMessage().contains("expected: 0700"), e.getMessage());
  }

  @Test
  void refusesToOverwriteAnExistingIdentity(@TempDir Path dir) throws Exception {
    Profile.create(dir, random);
    assertThrows(ProfileException.class, () -> Profile.create(dir, random));
  }

  @Test
  void saysHowToCreateAMissingProfile(@TempDir Path dir) {
    ProfileException e =
        assertThrows(ProfileException.class, () -> Profile.open(dir.resolve("none")));
    assertTrue(e.getMessage().contains("no profile at"), e.getMessage());
  }

  @Test
  void printsTheFingerprintAsTenGroupsOfFourHexDigitsOfSha256() {
    // SHA-256 of 32 zero bytes starts
    // 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
    assertEquals("6668 7aad f862 bd77 6c8f c18b 8e9f 8e20 0897 1485", Fingerprint.of(new byte[32]));
    assertTrue(
        Pattern.matches(
            "([0-9a-f]{4} ){9}[0-9a-f]{4}", Fingerprint.of(KeyPair.generate(random).publicKey())));
  }

  @Test
  void refusesAnIdentityIdNotOfEightUppercaseLettersOrDigits(@TempDir Path dir) throws Exception {
    Profile p = Profile.create(dir, random);
    assertThrows(IllegalArgumentException.class, () -> p.setIdentityId("abc"));
    assertThrows(IllegalArgumentException.class, () -> p.pinContact("../../x", new byte[32]));
  }
}
