package org.tafel.client.call.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpTransformerTest {
  private final SecureRandom random = new SecureRandom();

  private static byte[] rtp(int seq, int ssrc, int payload) {
    byte[] b = new byte[12 + payload];
    b[0] = (byte) 0x80;
    b[1] = 111;
    b[2] = (byte) (seq >> 8);
    b[3] = (byte) seq;
    b[8] = (byte) (ssrc >> 24);
    b[9] = (byte) (ssrc >> 16);
    b[10] = (byte) (ssrc >> 8);
    b[11] = (byte) ssrc;
    for (int i = 12; i < b.length; i++) {
      b[i] = (byte) ('A' + i % 26);
    }
    return b;
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rejectsEveryTamperedByteAndAReplayButAcceptsTheOriginal(SrtpProfile profile) {
    SrtpMasterKey key = SrtpMasterKey.generate(profile, random);
    SrtpMasterKey inline = SrtpMasterKey.fromInline(profile, key.inline());
    try (SrtpTransformer tx = SrtpTransformer.sender(key);
        SrtpTransformer rx = SrtpTransformer.receiver(inline)) {
      byte[] plain = rtp(7, 0x1234, 120);
      byte[] buf = Arrays.copyOf(plain, plain.length + profile.tagLength());
      int n = tx.protectRtp(buf, plain.length);
      assertEquals(plain.length + profile.tagLength(), n);
      assertFalse(
          Arrays.equals(Arrays.copyOfRange(plain, 12, 40), Arrays.copyOfRange(buf, 12, 40)),
          "payload is encrypted");
      // Every byte after the fixed header flipped fails to authenticate (header bytes 0-11 change
      // the SSRC/seq and so the context, which also fails).
      for (int i = 0; i < n; i++) {
        byte[] bad = Arrays.copyOf(buf, n);
        bad[i] ^= 0x01;
        SrtpTransformer.Result r = rx.unprotectRtp(bad, n);
        assertFalse(r.status() == SrtpStatus.OK, "byte " + i + " flipped was accepted");
      }
      byte[] good = Arrays.copyOf(buf, n);
      SrtpTransformer.Result ok = rx.unprotectRtp(good, n);
      assertEquals(SrtpStatus.OK, ok.status());
      assertArrayEquals(plain, Arrays.copyOf(good, ok.length()));
      assertEquals(SrtpStatus.REPLAY, rx.unprotectRtp(Arrays.copyOf(buf, n), n).status());
    }
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rejectsPacketsUnderAnotherKey(SrtpProfile profile) {
    try (SrtpTransformer tx = SrtpTransformer.sender(SrtpMasterKey.generate(profile, random));
        SrtpTransformer rx = SrtpTransformer.receiver(SrtpMasterKey.generate(profile, random))) {
      byte[] plain = rtp(1, 99, 60);
      byte[] buf = Arrays.copyOf(plain, plain.length + profile.tagLength());
      int n = tx.protectRtp(buf, plain.length);
      assertEquals(SrtpStatus.AUTH_FAIL, rx.unprotectRtp(buf, n).status());
    }
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void refusesMoreThanEightSourcesWithoutExaminingThem(SrtpProfile profile) {
    try (SrtpTransformer rx = SrtpTransformer.receiver(SrtpMasterKey.generate(profile, random))) {
      for (int ssrc = 1; ssrc <= SrtpTransformer.MAX_SOURCES; ssrc++) {
        byte[] b = rtp(1, ssrc, 40);
        assertEquals(SrtpStatus.AUTH_FAIL, rx.unprotectRtp(b, b.length).status());
      }
      byte[] ninth = rtp(1, 9, 40);
      assertEquals(SrtpStatus.UNKNOWN_SOURCE, rx.unprotectRtp(ninth, ninth.length).status());
    }
  }
}
