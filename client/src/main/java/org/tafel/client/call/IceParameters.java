package org.tafel.client.call;

/** ICE username fragment and password (RFC 8445 §5.3), 4-256 and 22-256 ice-chars. */
public record IceParameters(String ufrag, String password) {
  public IceParameters {
    CallPayloads.require(
        ufrag != null && ufrag.matches("[A-Za-z0-9+/]{4,256}"),
        "ice.ufrag: expected 4..256 characters of [A-Za-z0-9+/]");
    CallPayloads.require(
        password != null && password.matches("[A-Za-z0-9+/]{22,256}"),
        "ice.password: expected 22..256 characters of [A-Za-z0-9+/]");
  }
}
