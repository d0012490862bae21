package org.tafel.client.call.srtp;

import org.jitsi.srtp.SrtpPolicy;

/**
 * The SRTP protection profiles Tafel offers, named as in RFC 4568 / RFC 7714 SDES: key and salt
 * lengths and the bytes each protected RTP packet grows by.
 */
public enum SrtpProfile {
  /** RFC 3711 default: AES-128 counter mode, 80-bit HMAC-SHA1 tag, 14-byte salt. */
  AES_CM_128_HMAC_SHA1_80(16, 14, 10),
  /** RFC 7714: AES-128-GCM, 16-byte tag, 12-byte salt; cheaper per packet than CM + HMAC. */
  AEAD_AES_128_GCM(16, 12, 16);

  private final int keyLength;
  private final int saltLength;
  private final int tagLength;

  SrtpProfile(int keyLength, int saltLength, int tagLength) {
    this.keyLength = keyLength;
    this.saltLength = saltLength;
    this.tagLength = tagLength;
  }

  public int keyLength() {
    return keyLength;
  }

  public int saltLength() {
    return saltLength;
  }

  /** Bytes added to each SRTP packet (the tag); SRTCP adds 4 more for the index. */
  public int tagLength() {
    return tagLength;
  }

  SrtpPolicy policy() {
    return switch (this) {
      case AES_CM_128_HMAC_SHA1_80 ->
          new SrtpPolicy(
              SrtpPolicy.AESCM_ENCRYPTION,
              keyLength,
              SrtpPolicy.HMACSHA1_AUTHENTICATION,
              20,
              tagLength,
              saltLength);
      case AEAD_AES_128_GCM ->
          new SrtpPolicy(
              SrtpPolicy.AESGCM_ENCRYPTION,
              keyLength,
              SrtpPolicy.NULL_AUTHENTICATION,
              0,
              tagLength,
              saltLength);
    };
  }
}
