package org.tafel.protocol.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.tafel.protocol.signaling.Handshake;

/**
 * Issues and verifies {@code ut1.<base64url(JSON {sub, cap, exp, kid})>.<base64url(HMAC-SHA256)>}
 * (DESIGN.md §4). The MAC covers the ASCII text {@code ut1.<payload>}; base64url is without
 * padding; {@code exp} is Unix seconds. A token is valid at most {@link #MAX_VALIDITY}: one whose
 * {@code exp} lies further ahead is refused, so a leaked signing key cannot mint long-lived tokens
 * that survive its rotation by more than an hour. Stateless: any node holding the key ring checks
 * it.
 */
public final class UploadTokens {
  public static final String PREFIX = "ut1";
  public static final Duration MAX_VALIDITY = Duration.ofHours(1);

  /** Longer text is refused before any parsing. */
  public static final int MAX_TOKEN_LENGTH = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final KeyRing keys;
  private final Clock clock;

  public UploadTokens(KeyRing keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** A token for {@code sub} allowing {@code cap} bytes, valid {@code validity} (≤ 1 h). */
  public String issue(String sub, long cap, Duration validity) {
    if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
      throw new IllegalArgumentException(
          "validity: " + validity.toSeconds() + "s (expected: 1s..3600s)");
    }
    KeyRing.Key key = keys.newest();
    UploadToken claims =
        new UploadToken(sub, cap, clock.instant().plus(validity).plusMillis(999), key.kid());
    ObjectNode node = JSON.createObjectNode();
    node.put("sub", claims.sub());
    node.put("cap", claims.cap());
    node.put("exp", claims.exp().getEpochSecond());
    node.put("kid", claims.kid());
    String signed;
    try {
      signed = PREFIX + "." + B64.encodeToString(JSON.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return signed + "." + B64.encodeToString(mac(key, signed));
  }

  /** The claims of a valid token, or the reason it is refused. */
  public UploadToken verify(String token) throws TokenException {
    if (token == null || token.length() > MAX_TOKEN_LENGTH) {
      throw new TokenException(TokenException.Reason.MALFORMED, "missing or over-long token");
    }
    int first = token.indexOf('.');
    int last = token.lastIndexOf('.');
    if (first < 0 || first == last || !PREFIX.equals(token.substring(0, first))) {
      throw new TokenException(TokenException.Reason.MALFORMED, "expected ut1.<claims>.<mac>");
    }
    String signed = token.substring(0, last);
    UploadToken claims;
    byte[] mac;
    try {
      mac = B64D.decode(token.substring(last + 1));
      JsonNode node = JSON.readTree(B64D.decode(token.substring(first + 1, last)));
      if (node == null
          || !node.isObject()
          || !node.path("sub").isTextual()
          || !node.path("cap").canConvertToLong()
          || !node.path("exp").canConvertToLong()
          || !node.path("kid").isTextual()) {
        throw new TokenException(
            TokenException.Reason.MALFORMED, "claims need sub, cap, exp and kid");
      }
      claims =
          new UploadToken(
              node.get("sub").asText(),
              node.get("cap").asLong(),
              Instant.ofEpochSecond(node.get("exp").asLong()),
              node.get("kid").asText());
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new TokenException(TokenException.Reason.MALFORMED, "undecodable token");
    }
    KeyRing.Key key =
        keys.find(claims.kid())
            .orElseThrow(
                () -> new TokenException(TokenException.Reason.UNKNOWN_KEY, "unknown kid"));
    if (!MessageDigest.isEqual(mac, mac(key, signed))) {
      throw new TokenException(TokenException.Reason.BAD_SIGNATURE, "signature does not match");
    }
    Instant now = clock.instant();
    if (!now.isBefore(claims.exp())) {
      throw new TokenException(TokenException.Reason.EXPIRED, "expired");
    }
    if (claims.exp().isAfter(now.plus(MAX_VALIDITY).plusSeconds(1))) {
      throw new TokenException(TokenException.Reason.TOO_LONG_LIVED, "valid for more than an hour");
    }
    return claims;
  }

  private static byte[] mac(KeyRing.Key key, String signed) {
    return Handshake.hmac(key.secret(), signed.getBytes(StandardCharsets.US_ASCII));
  }
}
