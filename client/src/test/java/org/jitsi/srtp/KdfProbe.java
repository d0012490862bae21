package org.jitsi.srtp;

import java.security.GeneralSecurityException;

/**
 * Test-only window into jitsi-srtp's package-private key derivation, so the RFC 3711 B.3 vectors
 * check the library's own KDF rather than a copy of it.
 */
public final class KdfProbe {
  private KdfProbe() {}

  public static byte[] derive(
      byte[] masterKey, byte[] masterSalt, SrtpPolicy policy, int label, int length)
      throws GeneralSecurityException {
    SrtpKdf kdf = new SrtpKdf(masterKey, masterSalt, policy);
    byte[] out = new byte[length];
    kdf.deriveSessionKey(out, (byte) label);
    return out;
  }
}
