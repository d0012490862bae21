package org.tafel.blob.tokens;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import org.tafel.protocol.token.KeyRing;
import org.tafel.protocol.token.TokenException;
import org.tafel.protocol.token.UploadToken;
import org.tafel.protocol.token.UploadTokens;

/** Reads {@code Authorization: Bearer ut1...} and verifies it statelessly. */
public final class UploadAuthorizer {
  private final UploadTokens tokens;

  public UploadAuthorizer(KeyRing keys, Clock clock) {
    this.tokens = new UploadTokens(keys, clock);
  }

  /** The verified claims of the request's bearer token. */
  public UploadToken authorize(HttpRequest request) throws TokenException {
    return tokens.verify(bearer(request));
  }

  /** The bearer credential of {@code Authorization}, or null when there is none. */
  public static String bearer(HttpRequest request) {
    String h = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (h == null || h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return h.substring(7).trim();
  }
}
