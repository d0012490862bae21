package org.tafel.client.call;

import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;

/**
 * An SRTP profile with the sender's master key and salt, base64 (as SDES {@code inline:}, RFC 4568
 * §6.1): each side sends its own key for the media it sends.
 */
public record SrtpCrypto(SrtpProfile profile, String key) {
  public SrtpCrypto {
    CallPayloads.require(
        profile != null, "srtp.profile: expected AES_CM_128_HMAC_SHA1_80 or AEAD_AES_128_GCM");
    try {
      SrtpMasterKey.fromInline(profile, key == null ? "" : key).destroy();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("srtp.key: " + e.getMessage());
    }
  }

  public static SrtpCrypto of(SrtpMasterKey key) {
    return new SrtpCrypto(key.profile(), key.inline());
  }

  public SrtpMasterKey masterKey() {
    return SrtpMasterKey.fromInline(profile, key);
  }
}
