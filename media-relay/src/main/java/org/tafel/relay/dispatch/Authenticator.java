package org.tafel.relay.dispatch;

import java.util.List;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunErrorCode;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunParseException;
import org.tafel.relay.transport.ClientLink;

/**
 * The long-term credential mechanism (RFC 8489 §9.2.4) for TURN requests. Answers the challenge,
 * stale-nonce and bad-credential cases itself and returns null; returns the verified identity
 * otherwise.
 */
final class Authenticator {
  /** A request whose MESSAGE-INTEGRITY verified. */
  record Verified(String username, byte[] key) {}

  private static final int MAX_USERNAME = 513;
  private static final int MAX_REALM_NONCE = 763;
  private final RelayContext ctx;
  private final Responder responder;

  Authenticator(RelayContext ctx, Responder responder) {
    this.ctx = ctx;
    this.responder = responder;
  }

  Verified authenticate(ClientLink link, StunMessage m) {
    int mi = m.find(StunAttribute.MESSAGE_INTEGRITY);
    if (mi < 0) {
      responder.error(link, m, StunErrorCode.UNAUTHORIZED, null, true);
      return null;
    }
    int u = m.find(StunAttribute.USERNAME);
    int r = m.find(StunAttribute.REALM);
    int n = m.find(StunAttribute.NONCE);
    if (u < 0 || r < 0 || n < 0) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, null, false);
      return null;
    }
    String username;
    String realm;
    String nonce;
    try {
      username = m.readString(u, MAX_USERNAME);
      realm = m.readString(r, MAX_REALM_NONCE);
      nonce = m.readString(n, MAX_REALM_NONCE);
    } catch (StunParseException e) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, null, false);
      return null;
    }
    if (!ctx.nonces().verify(nonce, link.remote().getAddress())) {
      ctx.metrics().staleNonces.increment();
      responder.error(link, m, StunErrorCode.STALE_NONCE, null, true);
      return null;
    }
    byte[] key = verifiedKey(m, username, realm);
    if (key == null) {
      ctx.metrics().authFailures.increment();
      responder.error(link, m, StunErrorCode.UNAUTHORIZED, null, true);
      return null;
    }
    return new Verified(username, key);
  }

  private byte[] verifiedKey(StunMessage m, String username, String realm) {
    if (!ctx.config().realm().equals(realm)) {
      return null;
    }
    List<byte[]> candidates = ctx.restCredentials().candidateKeys(username, realm);
    for (byte[] key : candidates) {
      if (m.verifyMessageIntegrity(key)) {
        return key;
      }
    }
    byte[] key = ctx.staticCredentials().longTermKey(username, realm);
    if (key != null && m.verifyMessageIntegrity(key)) {
      return key;
    }
    return null;
  }
}
