package org.tafel.relay.auth;

import java.util.HashMap;
import java.util.Map;
import org.tafel.protocol.stun.TurnCredentials;

/** Static long-term users configured with {@code --user NAME:PASSWORD}. */
public final class StaticCredentialStore implements CredentialStore {
  private final Map<String, byte[]> keys = new HashMap<>();
  private final String realm;

  public StaticCredentialStore(Map<String, String> users, String realm) {
    this.realm = realm;
    users.forEach((u, p) -> keys.put(u, TurnCredentials.longTermKey(u, realm, p)));
  }

  @Override
  public byte[] longTermKey(String username, String realm) {
    return this.realm.equals(realm) ? keys.get(username) : null;
  }
}
