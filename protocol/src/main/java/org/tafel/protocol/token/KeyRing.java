package org.tafel.protocol.token;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keys with IDs, newest first: tokens are signed with {@link #newest()} and accepted under any key
 * listed, so a key can be rotated without invalidating what is in flight.
 */
public record KeyRing(List<Key> keys) {

  public KeyRing {
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys: empty (expected: at least one key)");
    }
  }

  public static KeyRing of(String kid, byte[] key) {
    return new KeyRing(List.of(new Key(kid, key)));
  }

  public Key newest() {
    return keys.get(0);
  }

  public Optional<Key> find(String kid) {
    for (Key k : keys) {
      if (k.kid().equals(kid)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * @param kid short key ID, 1 to 16 characters of {@code [A-Za-z0-9_-]}
   * @param secret at least 16 bytes
   */
  public record Key(String kid, byte[] secret) {
    public Key {
      Objects.requireNonNull(kid, "kid");
      if (!kid.matches("[A-Za-z0-9_-]{1,16}")) {
        throw new IllegalArgumentException(
            "kid: '" + kid + "' (expected: 1 to 16 characters of A-Z a-z 0-9 _ -)");
      }
      if (secret.length < 16) {
        throw new IllegalArgumentException(
            "key " + kid + ": " + secret.length + " bytes (expected: at least 16)");
      }
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public String toString() {
      return "Key[kid=" + kid + "]";
    }
  }
}
