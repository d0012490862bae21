package org.tafel.server.config;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.tafel.protocol.token.KeyRing;

/**
 * Secrets the server generates on first start into {@code DATA/secrets/} (directory 0700, files
 * 0600) and reuses afterwards. A file is written under a temporary name and linked into place, so
 * two starts racing each other agree on one value and nobody reads a half-written file.
 */
public final class GeneratedSecrets {
  public static final String TURN_SECRET = "turn-secret";

  /** Signs {@code ut1} upload tokens (signaling issues, the blob store verifies). */
  public static final String UPLOAD_TOKEN_KEY = "upload-token-key";

  /** Keys the relay's daily pseudonyms in TURN usernames. */
  public static final String RELAY_PSEUDONYM_KEY = "relay-pseudonym-key";

  /** Keys the blob store's constant pseudonyms (quota owners). */
  public static final String BLOB_PSEUDONYM_KEY = "blob-pseudonym-key";

  /** The signaling server's long-term X25519 secret (64 hex characters = 32 bytes). */
  public static final String SIGNALING_SERVER_KEY = "signaling-server-key";

  /** The deployment's contact-discovery key (handed to every client at login). */
  public static final String DISCOVERY_KEY = "discovery-key";

  private static final int SECRET_BYTES = 32;
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private final Path directory;
  private final SecureRandom random;

  public GeneratedSecrets(Path dataDir, SecureRandom random) {
    this.directory = dataDir.resolve("secrets");
    this.random = random;
  }

  /** The file a secret called {@code name} lives in. */
  public Path file(String name) {
    return directory.resolve(name);
  }

  /**
   * Returns the secret {@code name}, generating 32 random bytes (stored as 64 hex characters, the
   * text being the secret, as coturn's {@code static-auth-secret}) when the file does not exist.
   */
  public Result loadOrCreate(String name) {
    Path target = file(name);
    boolean created = false;
    try {
      if (!Files.exists(target)) {
        createDirectory();
        byte[] raw = new byte[SECRET_BYTES];
        random.nextBytes(raw);
        byte[] text = (HexFormat.of().formatHex(raw) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path temp =
            Files.createTempFile(
                directory,
                "." + name + "-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
          try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
            out.write(text);
          }
          try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
          }
          Files.createLink(target, temp);
          created = true;
        } catch (FileAlreadyExistsException raced) {
          // another start won the race; use its file
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      String value = Files.readString(target, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new ConfigException(
            target + ": empty (expected: a generated secret; delete the file to regenerate)");
      }
      return new Result(
          new Secret(value.getBytes(StandardCharsets.UTF_8), target.toString()), target, created);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read " + target, e);
    }
  }

  /**
   * The generated secret {@code name} as a one-key {@link KeyRing}; its key ID is the first 8 hex
   * characters of the SHA-256 of the secret, so every process reading the file agrees on it and a
   * replaced file gets a new ID.
   */
  public KeyRing keyRing(String name) {
    byte[] secret = loadOrCreate(name).secret().value();
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(secret);
      return KeyRing.of(HexFormat.of().formatHex(digest, 0, 4), secret);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void createDirectory() throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory.getParent());
      try {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIR_MODE));
      } catch (FileAlreadyExistsException raced) {
        // created concurrently
      }
      Files.setPosixFilePermissions(directory, DIR_MODE);
    }
  }

  /**
   * @param secret the value
   * @param file where it lives
   * @param created true when this call generated it
   */
  public record Result(Secret secret, Path file, boolean created) {}
}
