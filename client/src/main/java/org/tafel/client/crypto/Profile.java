package org.tafel.client.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A client's profile directory (DESIGN.md §3): the identity key pair and ID ({@code
 * identity.json}), the contacts' pinned public keys and the server's pinned key ({@code
 * pins.json}), and the replay memory ({@code seen.bin}, {@link ReplayGuard}). The directory is mode
 * 0700 and every file 0600; a profile whose files others can read is refused, as ssh refuses such a
 * private key. Every change is written to a temporary file, synced and renamed into place, so a
 * crash leaves the old or the new file, never half of one.
 *
 * <p>Pinning is trust on first use: the first key seen for a contact (or the server) is kept; a
 * different key later throws {@link KeyChangedException} until {@link #acceptContactKey} (or {@link
 * #acceptServerKey}) records the new one.
 */
public final class Profile {
  public static final String IDENTITY_FILE = "identity.json";
  public static final String PINS_FILE = "pins.json";
  public static final String REPLAY_FILE = "seen.bin";
  private static final Pattern IDENTITY_ID = Pattern.compile("[A-Z0-9]{8}");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final KeyPair keyPair;
  private String identityId;
  private final Map<String, byte[]> contacts = new TreeMap<>();
  private byte[] serverKey;

  private Profile(Path dir, KeyPair keyPair, String identityId) {
    this.dir = dir;
    this.keyPair = keyPair;
    this.identityId = identityId;
  }

  /** Creates a profile with a new key pair in {@code dir} (created 0700 if missing, else empty). */
  public static Profile create(Path dir, SecureRandom random) throws ProfileException {
    try {
      if (Files.exists(dir)) {
        if (Files.exists(dir.resolve(IDENTITY_FILE))) {
          throw new ProfileException("profile " + dir + " already holds an identity");
        }
        Files.setPosixFilePermissions(dir, DIR_MODE);
      } else {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        // createDirectories applies the umask; make the mode exact.
        Files.setPosixFilePermissions(dir, DIR_MODE);
      }
    } catch (IOException e) {
      throw new ProfileException("cannot create profile directory " + dir + ": " + e, e);
    }
    Profile p = new Profile(dir, KeyPair.generate(random), null);
    p.writeIdentity();
    p.writePins();
    return p;
  }

  /** Opens an existing profile, refusing one whose directory or files others can access. */
  public static Profile open(Path dir) throws ProfileException {
    checkMode(dir, DIR_MODE, "0700");
    JsonNode id = read(dir.resolve(IDENTITY_FILE));
    JsonNode pins = read(dir.resolve(PINS_FILE));
    if (id.path("version").asInt() != 1) {
      throw new ProfileException(
          dir.resolve(IDENTITY_FILE) + ": version " + id.path("version") + " (expected: 1)");
    }
    byte[] sk = base64(id, "secretKey", dir.resolve(IDENTITY_FILE));
    Profile p;
    try {
      p = new Profile(dir, KeyPair.fromSecretKey(sk), null);
    } catch (IllegalArgumentException e) {
      throw new ProfileException(dir.resolve(IDENTITY_FILE) + ": " + e.getMessage());
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
    try {
      JsonNode idNode = id.get("id");
      if (idNode != null && !idNode.isNull()) {
        p.identityId = checkId(idNode.asText());
      }
      JsonNode contacts = pins.path("contacts");
      for (Map.Entry<String, JsonNode> e : contacts.properties()) {
        p.contacts.put(checkId(e.getKey()), decodeKey(e.getValue(), dir.resolve(PINS_FILE)));
      }
    } catch (IllegalArgumentException e) {
      throw new ProfileException(dir + ": " + e.getMessage());
    }
    JsonNode server = pins.get("server");
    if (server != null && !server.isNull()) {
      p.serverKey = decodeKey(server, dir.resolve(PINS_FILE));
    }
    return p;
  }

  /**
   * The replay memory journal of this profile ({@code seen.bin}, 0600), opened; the caller closes
   * it. One process at a time may use a profile.
   */
  public ReplayGuard openReplayGuard() throws ProfileException {
    Path f = dir.resolve(REPLAY_FILE);
    if (Files.exists(f)) {
      checkMode(f, FILE_MODE, "0600");
    }
    try {
      return ReplayGuard.persistent(f, ReplayGuard.DEFAULT_PER_CONTACT);
    } catch (IOException e) {
      throw new ProfileException("cannot open " + f + ": " + e, e);
    }
  }

  public Path directory() {
    return dir;
  }

  /** The identity's ID once registered, else empty. */
  public synchronized Optional<String> identityId() {
    return Optional.ofNullable(identityId);
  }

  /** Records the ID the server assigned at registration. */
  public synchronized void setIdentityId(String id) throws ProfileException {
    this.identityId = checkId(id);
    writeIdentity();
  }

  public byte[] publicKey() {
    return keyPair.publicKey();
  }

  public String fingerprint() {
    return Fingerprint.of(keyPair.publicKey());
  }

  KeyPair keyPair() {
    return keyPair;
  }

  /**
   * The signaling handshake's client MAC (docs/protocol.md §2) proving this identity's key, so the
   * identity secret never leaves this package.
   */
  public byte[] handshakeMac(
      String label,
      byte[] clientEphemeralSecret,
      org.tafel.protocol.signaling.Handshake.Transcript transcript,
      byte[] subject) {
    byte[] secret = keyPair.secretKeyBytes();
    try {
      return org.tafel.protocol.signaling.Handshake.clientMac(
          label, secret, clientEphemeralSecret, transcript, subject);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Pins {@code key} for {@code contactId} on first use; afterwards checks that {@code key} is the
   * pinned one.
   *
   * @throws KeyChangedException if a different key is pinned
   */
  public synchronized void pinContact(String contactId, byte[] key)
      throws KeyChangedException, ProfileException {
    checkId(contactId);
    checkKey(key);
    byte[] pinned = contacts.get(contactId);
    if (pinned == null) {
      contacts.put(contactId, key.clone());
      writePins();
    } else if (!MessageDigest.isEqual(pinned, key)) {
      throw new KeyChangedException("contact " + contactId, pinned, key);
    }
  }

  /** Replaces a contact's pinned key after a person compared fingerprints. */
  public synchronized void acceptContactKey(String contactId, byte[] key) throws ProfileException {
    checkId(contactId);
    checkKey(key);
    contacts.put(contactId, key.clone());
    writePins();
  }

  public synchronized Optional<byte[]> contactKey(String contactId) {
    byte[] k = contacts.get(contactId);
    return Optional.ofNullable(k == null ? null : k.clone());
  }

  /** Pins the server's long-term key on first contact; afterwards checks it. */
  public synchronized void pinServer(byte[] key) throws KeyChangedException, ProfileException {
    checkKey(key);
    if (serverKey == null) {
      serverKey = key.clone();
      writePins();
    } else if (!MessageDigest.isEqual(serverKey, key)) {
      throw new KeyChangedException("the server", serverKey, key);
    }
  }

  public synchronized void acceptServerKey(byte[] key) throws ProfileException {
    checkKey(key);
    serverKey = key.clone();
    writePins();
  }

  public synchronized Optional<byte[]> serverKey() {
    return Optional.ofNullable(serverKey == null ? null : serverKey.clone());
  }

  private void writeIdentity() throws ProfileException {
    ObjectNode n = JSON.createObjectNode();
    n.put("version", 1);
    if (identityId == null) {
      n.putNull("id");
    } else {
      n.put("id", identityId);
    }
    byte[] sk = keyPair.secretKeyBytes();
    n.put("secretKey", Base64.getEncoder().encodeToString(sk));
    Arrays.fill(sk, (byte) 0);
    n.put("publicKey", Base64.getEncoder().encodeToString(keyPair.publicKey()));
    write(dir.resolve(IDENTITY_FILE), n);
  }

  private void writePins() throws ProfileException {
    ObjectNode n = JSON.createObjectNode();
    n.put("version", 1);
    ObjectNode c = n.putObject("contacts");
    contacts.forEach((id, key) -> c.put(id, Base64.getEncoder().encodeToString(key)));
    if (serverKey == null) {
      n.putNull("server");
    } else {
      n.put("server", Base64.getEncoder().encodeToString(serverKey));
    }
    write(dir.resolve(PINS_FILE), n);
  }

  private static void write(Path file, JsonNode content) throws ProfileException {
    Path tmp = null;
    try {
      tmp =
          Files.createTempFile(
              file.getParent(), ".tmp-", ".json", PosixFilePermissions.asFileAttribute(FILE_MODE));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(
            java.nio.ByteBuffer.wrap(
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content)));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (FileAlreadyExistsException e) {
      throw new ProfileException("cannot write " + file + ": " + e, e);
    } catch (IOException e) {
      throw new ProfileException("cannot write " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; that error is the one to report
        }
      }
    }
  }

  private static JsonNode read(Path file) throws ProfileException {
    checkMode(file, FILE_MODE, "0600");
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ProfileException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void checkMode(Path path, Set<PosixFilePermission> expected, String octal)
      throws ProfileException {
    Set<PosixFilePermission> actual;
    try {
      actual = Files.getPosixFilePermissions(path);
    } catch (NoSuchFileException e) {
      throw new ProfileException("no profile at " + path + " (create one with `tafel id new`)");
    } catch (IOException e) {
      throw new ProfileException("cannot read " + path + ": " + e, e);
    }
    for (PosixFilePermission p : actual) {
      if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
        throw new ProfileException(
            path
                + " has mode "
                + PosixFilePermissions.toString(actual)
                + " (expected: "
                + octal
                + ", private to its owner); fix it with chmod "
                + octal.substring(1)
                + " "
                + path);
      }
    }
    if (!actual.containsAll(expected)) {
      throw new ProfileException(
          path
              + " has mode "
              + PosixFilePermissions.toString(actual)
              + " (expected: "
              + octal
              + ")");
    }
  }

  private static byte[] base64(JsonNode n, String field, Path file) throws ProfileException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new ProfileException(file + ": missing " + field);
    }
    try {
      return Base64.getDecoder().decode(v.asText());
    } catch (IllegalArgumentException e) {
      throw new ProfileException(file + ": " + field + " is not base64");
    }
  }

  private static byte[] decodeKey(JsonNode v, Path file) throws ProfileException {
    byte[] k;
    try {
      k = Base64.getDecoder().decode(v.asText());
    } catch (IllegalArgumentException e) {
      throw new ProfileException(file + ": a pinned key is not base64");
    }
    if (k.length != KeyPair.KEY_BYTES) {
      throw new ProfileException(file + ": a pinned key has " + k.length + " bytes (expected: 32)");
    }
    return k;
  }

  private static String checkId(String id) {
    if (id == null || !IDENTITY_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "identity ID: " + id + " (expected: 8 characters A-Z, 0-9)");
    }
    return id;
  }

  private static void checkKey(byte[] key) {
    if (key.length != KeyPair.KEY_BYTES) {
      throw new IllegalArgumentException("public key: " + key.length + " bytes (expected: 32)");
    }
  }
}
