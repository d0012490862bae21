package org.tafel.client.call.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tafel.client.testing.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import org.jitsi.srtp.KdfProbe;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.SrtpCipherCtr;
import org.jitsi.srtp.crypto.SrtpCipherGcm;
import org.junit.jupiter.api.Test;
import org.tafel.client.testing.Vectors;

/** jitsi-srtp against RFC 3711 Appendix B, libsrtp's validation packets and RFC 7714 §16. */
class SrtpVectorsTest {
  private static final Vectors V = Vectors.load("srtp-rfc3711-rfc7714.json");
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void aesCounterModeKeystreamMatchesRfc3711B2() throws Exception {
    JsonNode v = V.byId("rfc3711-B.2-aes-cm-keystream");
    SrtpCipherCtr ctr = new SrtpCipherCtr(Aes.createCipher("AES/CTR/NoPadding"));
    ctr.init(hex(v, "session_key"), null);
    ctr.setIV(hex(v, "iv"), Cipher.ENCRYPT_MODE);
    byte[] stream = new byte[16 * 0xFF02];
    ctr.process(stream, 0, stream.length);
    for (JsonNode block : v.get("expected_blocks")) {
      byte[] counter = HEX.parseHex(block.get("counter").asText());
      int i = ((counter[14] & 0xff) << 8) | (counter[15] & 0xff);
      assertEquals(
          block.get("keystream").asText(),
          HEX.formatHex(Arrays.copyOfRange(stream, 16 * i, 16 * i + 16)),
          "block " + i);
    }
  }

  @Test
  void keyDerivationMatchesRfc3711B3() throws Exception {
    JsonNode v = V.byId("rfc3711-B.3-key-derivation");
    byte[] mk = hex(v, "master_key");
    byte[] ms = hex(v, "master_salt");
    var policy = SrtpProfile.AES_CM_128_HMAC_SHA1_80.policy();
    JsonNode e = v.get("expected");
    JsonNode more = v.get("derived_not_in_rfc_text");
    assertEquals(e.get("cipher_key_label0").asText(), str(KdfProbe.derive(mk, ms, policy, 0, 16)));
    assertEquals(
        e.get("auth_key_label1_20_bytes").asText(), str(KdfProbe.derive(mk, ms, policy, 1, 20)));
    assertEquals(e.get("cipher_salt_label2").asText(), str(KdfProbe.derive(mk, ms, policy, 2, 14)));
    assertEquals(
        more.get("srtcp_cipher_key_label3").asText(), str(KdfProbe.derive(mk, ms, policy, 3, 16)));
    assertEquals(
        more.get("srtcp_auth_key_label4").asText(), str(KdfProbe.derive(mk, ms, policy, 4, 20)));
    assertEquals(
        more.get("srtcp_salt_label5").asText(), str(KdfProbe.derive(mk, ms, policy, 5, 14)));
  }

  @Test
  void protectsAndUnprotectsLibsrtpsAesCmRtpPacket() {
    JsonNode v = V.byId("libsrtp-validate-aes-cm-128-hmac-sha1-80-rtp");
    SrtpMasterKey key =
        new SrtpMasterKey(
            SrtpProfile.AES_CM_128_HMAC_SHA1_80, hex(v, "master_key"), hex(v, "master_salt"));
    roundTripRtp(key, hex(v, "rtp_packet"), hex(v, "expected_srtp_packet"));
  }

  @Test
  void protectsAndUnprotectsLibsrtpsAesCmRtcpPacket() {
    JsonNode k = V.byId("libsrtp-validate-aes-cm-128-hmac-sha1-80-rtp");
    JsonNode v = V.byId("libsrtp-validate-aes-cm-128-hmac-sha1-80-rtcp");
    SrtpMasterKey key =
        new SrtpMasterKey(
            SrtpProfile.AES_CM_128_HMAC_SHA1_80, hex(k, "master_key"), hex(k, "master_salt"));
    roundTripRtcp(key, hex(v, "rtcp_packet"), hex(v, "expected_srtcp_packet"));
  }

  @Test
  void protectsAndUnprotectsLibsrtpsGcmRtpPacket() {
    JsonNode v = V.byId("libsrtp-validate-gcm-128-rtp");
    SrtpMasterKey key =
        new SrtpMasterKey(
            SrtpProfile.AEAD_AES_128_GCM, hex(v, "master_key"), hex(v, "master_salt"));
    roundTripRtp(key, hex(v, "rtp_packet"), hex(v, "expected_srtp_packet"));
  }

  @Test
  void protectsAndUnprotectsLibsrtpsGcmRtcpPacket() {
    JsonNode k = V.byId("libsrtp-validate-gcm-128-rtp");
    JsonNode v = V.byId("libsrtp-validate-gcm-128-rtcp");
    SrtpMasterKey key =
        new SrtpMasterKey(
            SrtpProfile.AEAD_AES_128_GCM, hex(k, "master_key"), hex(k, "master_salt"));
    roundTripRtcp(key, hex(v, "rtcp_packet"), hex(v, "expected_srtcp_packet"));
  }

  @Test
  void gcmWithSessionKeysMatchesRfc7714Section16() throws Exception {
    for (String id :
        new String[] {"rfc7714-16.1.1-aead-aes-128-gcm", "rfc7714-16.2.1-aead-aes-256-gcm"}) {
      JsonNode v = V.byId(id);
      byte[] rtp = hex(v, "rtp_packet");
      byte[] expected = hex(v, "expected_srtp_packet");
      SrtpCipherGcm gcm = new SrtpCipherGcm(Aes.createCipher("AES/GCM/NoPadding"));
      gcm.init(hex(v, "session_key"), null);
      gcm.setIV(hex(v, "iv"), Cipher.ENCRYPT_MODE);
      gcm.processAAD(rtp, 0, 12);
      byte[] buf = Arrays.copyOf(rtp, rtp.length + 16);
      int n = gcm.process(buf, 12, rtp.length - 12);
      assertEquals(expected.length - 12, n, id);
      assertEquals(HEX.formatHex(expected), HEX.formatHex(buf), id);
    }
  }

  private static void roundTripRtp(SrtpMasterKey key, byte[] rtp, byte[] expected) {
    try (SrtpTransformer tx = SrtpTransformer.sender(key);
        SrtpTransformer rx = SrtpTransformer.receiver(key)) {
      byte[] buf = Arrays.copyOf(rtp, rtp.length + 16);
      int n = tx.protectRtp(buf, rtp.length);
      assertEquals(HEX.formatHex(expected), HEX.formatHex(Arrays.copyOf(buf, n)));
      byte[] in = expected.clone();
      SrtpTransformer.Result r = rx.unprotectRtp(in, in.length);
      assertEquals(SrtpStatus.OK, r.status());
      assertArrayEquals(rtp, Arrays.copyOf(in, r.length()));
    }
  }

  private static void roundTripRtcp(SrtpMasterKey key, byte[] rtcp, byte[] expected) {
    try (SrtpTransformer tx = SrtpTransformer.sender(key);
        SrtpTransformer rx = SrtpTransformer.receiver(key)) {
      // The vector carries SRTCP index 1; jitsi-srtp numbers its first packet 0, so the vector is
      // its second.
      int first = tx.protectRtcp(Arrays.copyOf(rtcp, rtcp.length + 20), rtcp.length);
      assertEquals(expected.length, first);
      byte[] buf = Arrays.copyOf(rtcp, rtcp.length + 20);
      int n = tx.protectRtcp(buf, rtcp.length);
      assertEquals(HEX.formatHex(expected), HEX.formatHex(Arrays.copyOf(buf, n)));
      byte[] in = expected.clone();
      SrtpTransformer.Result r = rx.unprotectRtcp(in, in.length);
      assertEquals(SrtpStatus.OK, r.status());
      assertArrayEquals(rtcp, Arrays.copyOf(in, r.length()));
    }
  }

  private static String str(byte[] b) {
    return HEX.formatHex(b);
  }
}
