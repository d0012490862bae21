package org.tafel.signaling.store;

/**
 * A licence code a school administrator created; it registers one identity.
 *
 * @param code the code, e.g. {@code 7KQ2-M9XA-4TPB-H3RD}
 * @param created Unix milliseconds
 * @param usedBy the identity registered with it, or null
 * @param revoked true when revoked (a used code's identity is revoked with it)
 */
public record Licence(String code, long created, String usedBy, boolean revoked) {}
