package org.tafel.client.call.srtp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * One direction's SRTP master key and salt for a profile. On the wire (inside the encrypted offer
 * or answer) it is base64 of key ‖ salt, as an SDES {@code inline:} key is (RFC 4568 §6.1).
 */
public final class SrtpMasterKey {
  private final SrtpProfile profile;
  private final byte[] key;
  private final byte[] salt;

  public SrtpMasterKey(SrtpProfile profile, byte[] key, byte[] salt) {
    if (key.length != profile.keyLength() || salt.length != profile.saltLength()) {
      throw new IllegalArgumentException(
          profile
              + ": key "
              + key.length
              + " and salt "
              + salt.length
              + " bytes (expected: "
              + profile.keyLength()
              + " and "
              + profile.saltLength()
              + ")");
    }
    this.profile = profile;
    this.key = key.clone();
    this.salt = salt.clone();
  }

  public static SrtpMasterKey generate(SrtpProfile profile, SecureRandom random) {
    byte[] k = new byte[profile.keyLength()];
    byte[] s = new byte[profile.saltLength()];
    random.nextBytes(k);
    random.nextBytes(s);
    return new SrtpMasterKey(profile, k, s);
  }

  /** Parses base64(key ‖ salt). */
  public static SrtpMasterKey fromInline(SrtpProfile profile, String inline) {
    byte[] all;
    try {
      all = Base64.getDecoder().decode(inline);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(profile + ": key is not base64");
    }
    int k = profile.keyLength();
    if (all.length != k + profile.saltLength()) {
      throw new IllegalArgumentException(
          profile
              + ": inline key "
              + all.length
              + " bytes (expected: "
              + (k + profile.saltLength())
              + ")");
    }
    SrtpMasterKey m =
        new SrtpMasterKey(profile, Arrays.copyOf(all, k), Arrays.copyOfRange(all, k, all.length));
    Arrays.fill(all, (byte) 0);
    return m;
  }

  public SrtpProfile profile() {
    return profile;
  }

  /** base64(key ‖ salt), for the encrypted call payload only. */
  public String inline() {
    byte[] all = new byte[key.length + salt.length];
    System.arraycopy(key, 0, all, 0, key.length);
    System.arraycopy(salt, 0, all, key.length, salt.length);
    String s = Base64.getEncoder().encodeToString(all);
    Arrays.fill(all, (byte) 0);
    return s;
  }

  byte[] key() {
    return key;
  }

  byte[] salt() {
    return salt;
  }

  public void destroy() {
    Arrays.fill(key, (byte) 0);
    Arrays.fill(salt, (byte) 0);
  }
}
