package org.tafel.relay.auth;

/** Looks up the long-term key (RFC 8489 §9.2.2) of a username, or null when it is not valid. */
@FunctionalInterface
public interface CredentialStore {
  byte[] longTermKey(String username, String realm);

  /** Asks each store in turn; the first key found wins. */
  static CredentialStore firstOf(CredentialStore... stores) {
    return (username, realm) -> {
      for (CredentialStore s : stores) {
        byte[] key = s.longTermKey(username, realm);
        if (key != null) {
          return key;
        }
      }
      return null;
    };
  }
}
