package org.tafel.client.call.ice;

/**
 * A TURN server over UDP with ephemeral REST credentials (DESIGN.md §4: username {@code
 * expiry:pseudonym}, password base64(HMAC-SHA1(secret, username))), as signaling's {@code
 * turn-credentials} will hand them out.
 */
public record TurnServer(String host, int port, String username, String password) {
  public TurnServer {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: empty (expected: a name or IP literal)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("username and password: expected both");
    }
  }

  @Override
  public String toString() {
    // Never the password; the username carries only an expiry and a pseudonym.
    return "turn:" + host + ":" + port + "?transport=udp";
  }
}
