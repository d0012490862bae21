package org.tafel.relay.auth;

import java.time.Clock;
import java.util.List;
import org.tafel.protocol.stun.TurnCredentials;

/**
 * TURN REST credentials: username {@code expiry:pseudonym}, password {@code
 * base64(HMAC-SHA1(secret, username))}. Every configured secret is accepted (rotation); an expired
 * username has no key. Note the long-term key can only be computed for one secret per username: the
 * MESSAGE-INTEGRITY check decides, so the caller tries {@link #candidateKeys}.
 */
public final class RestCredentialStore implements CredentialStore {
  private final List<byte[]> secrets;
  private final Clock clock;

  public RestCredentialStore(List<byte[]> secrets, Clock clock) {
    this.secrets = List.copyOf(secrets);
    this.clock = clock;
  }

  @Override
  public byte[] longTermKey(String username, String realm) {
    List<byte[]> keys = candidateKeys(username, realm);
    return keys.isEmpty() ? null : keys.get(0);
  }

  /** The keys of this username under each secret, newest secret first; empty when expired. */
  public List<byte[]> candidateKeys(String username, String realm) {
    if (secrets.isEmpty()) {
      return List.of();
    }
    long expiry = TurnCredentials.restExpiry(username);
    if (expiry < 0 || expiry <= clock.millis() / 1000) {
      return List.of();
    }
    byte[][] keys = new byte[secrets.size()][];
    for (int i = 0; i < keys.length; i++) {
      String password = TurnCredentials.restPassword(secrets.get(i), username);
      keys[i] = TurnCredentials.longTermKey(username, realm, password);
    }
    return List.of(keys);
  }
}
