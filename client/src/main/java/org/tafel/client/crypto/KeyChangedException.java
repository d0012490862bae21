package org.tafel.client.crypto;

/**
 * A contact's (or the server's) public key differs from the one pinned on first use. Nothing is
 * sent to or accepted from that key until a person compares fingerprints and accepts it ({@link
 * Profile#acceptContactKey}, {@link Profile#acceptServerKey}).
 */
public final class KeyChangedException extends Exception {
  private final String subject;
  private final String pinnedFingerprint;
  private final String offeredFingerprint;

  KeyChangedException(String subject, byte[] pinned, byte[] offered) {
    super(
        "the key of "
            + subject
            + " changed: pinned ["
            + Fingerprint.of(pinned)
            + "], now offered ["
            + Fingerprint.of(offered)
            + "]; refused until accepted after comparing fingerprints");
    this.subject = subject;
    this.pinnedFingerprint = Fingerprint.of(pinned);
    this.offeredFingerprint = Fingerprint.of(offered);
  }

  /** {@code contact ABCD1234} or {@code the server}. */
  public String subject() {
    return subject;
  }

  public String pinnedFingerprint() {
    return pinnedFingerprint;
  }

  public String offeredFingerprint() {
    return offeredFingerprint;
  }
}
