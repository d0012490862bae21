package org.tafel.protocol.token;

import java.time.Instant;
import java.util.Objects;

/**
 * The claims of a {@code ut1} upload token (DESIGN.md §4).
 *
 * @param sub the identity's blob-store pseudonym (never the identity ID)
 * @param cap bytes this upload may use
 * @param exp when the token stops being accepted (whole seconds)
 * @param kid the ID of the key that signed it
 */
public record UploadToken(String sub, long cap, Instant exp, String kid) {
  public UploadToken {
    Objects.requireNonNull(sub, "sub");
    Objects.requireNonNull(exp, "exp");
    Objects.requireNonNull(kid, "kid");
    if (cap <= 0) {
      throw new IllegalArgumentException("cap: " + cap + " (expected: > 0)");
    }
  }
}
