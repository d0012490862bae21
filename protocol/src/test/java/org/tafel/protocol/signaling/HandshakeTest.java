package org.tafel.protocol.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JsonNode json(String resource) throws Exception {
    try (InputStream in = HandshakeTest.class.getResourceAsStream(resource)) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static byte[] hex(JsonNode n, String field) {
    return HEX.parseHex(n.get(field).asText());
  }

  @Test
  void x25519MatchesNaclVectors() throws Exception {
    // "Cryptography in NaCl" keys, as in /work/shared/vectors/nacl-box-secretbox.json
    byte[] aliceSk =
        HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bobSk = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    assertEquals(
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        HEX.formatHex(X25519.publicKey(aliceSk)));
    assertEquals(
        "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
        HEX.formatHex(X25519.agree(aliceSk, X25519.publicKey(bobSk))));
  }

  @Test
  void refusesLowOrderPublicKey() {
    byte[] sk = X25519.generate(new SecureRandom()).secret();
    assertThrows(IllegalArgumentException.class, () -> X25519.agree(sk, new byte[32]));
  }

  @Test
  void hkdfMatchesRfc5869TestCase3() {
    // RFC 5869 A.3: SHA-256, zero-length salt and info
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    assertEquals(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        HEX.formatHex(Handshake.hkdf(ikm, new byte[0], new byte[0], 42)));
  }

  @Test
  void hmacMatchesRfc4231TestCase2() {
    assertEquals(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        HEX.formatHex(
            Handshake.hmac(
                "Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void serverProofAndClientMacsMatchIndependentVectors() throws Exception {
    JsonNode v = json("/vectors/signaling-handshake.json");
    assertArrayEquals(hex(v, "server_public"), X25519.publicKey(hex(v, "server_secret")));
    assertArrayEquals(hex(v, "identity_public"), X25519.publicKey(hex(v, "identity_secret")));
    Handshake.Transcript t =
        new Handshake.Transcript(
            hex(v, "client_ephemeral_public"),
            hex(v, "server_ephemeral_public"),
            hex(v, "challenge"),
            hex(v, "server_public"));
    byte[] proof = Handshake.serverProof(hex(v, "server_secret"), t);
    assertArrayEquals(hex(v, "server_proof"), proof);
    assertTrue(Handshake.verifyServerProof(hex(v, "client_ephemeral_secret"), t, proof));

    byte[] subject = Handshake.loginSubject(v.get("identity_id").asText());
    byte[] login =
        Handshake.clientMac(
            Handshake.LABEL_LOGIN,
            hex(v, "identity_secret"),
            hex(v, "client_ephemeral_secret"),
            t,
            subject);
    assertArrayEquals(hex(v, "login_mac"), login);
    assertTrue(
        Handshake.verifyClientMac(
            Handshake.LABEL_LOGIN,
            hex(v, "server_ephemeral_secret"),
            hex(v, "identity_public"),
            t,
            subject,
            login));

    byte[] register =
        Handshake.clientMac(
            Handshake.LABEL_REGISTER,
            hex(v, "identity_secret"),
            hex(v, "client_ephemeral_secret"),
            t,
            hex(v, "identity_public"));
    assertArrayEquals(hex(v, "register_mac"), register);
    assertEquals(
        v.get("pow_bits").asInt()
            <= ProofOfWork.zeroBits(
                hex(v, "challenge"), hex(v, "identity_public"), v.get("pow_nonce").asLong()),
        true);
    assertEquals(
        v.get("pow_nonce").asLong(),
        ProofOfWork.solve(
            hex(v, "challenge"), hex(v, "identity_public"), v.get("pow_bits").asInt()));
  }

  @Test
  void macForOneConnectionDoesNotVerifyOnAnother() {
    SecureRandom random = new SecureRandom();
    X25519.KeyPair server = X25519.generate(random);
    X25519.KeyPair identity = X25519.generate(random);
    byte[] subject = Handshake.loginSubject("ABCD1234");
    X25519.KeyPair clientEph = X25519.generate(random);
    X25519.KeyPair serverEph1 = X25519.generate(random);
    X25519.KeyPair serverEph2 = X25519.generate(random);
    byte[] challenge1 = new byte[32];
    byte[] challenge2 = new byte[32];
    random.nextBytes(challenge1);
    random.nextBytes(challenge2);
    var t1 =
        new Handshake.Transcript(
            clientEph.publicKey(), serverEph1.publicKey(), challenge1, server.publicKey());
    var t2 =
        new Handshake.Transcript(
            clientEph.publicKey(), serverEph2.publicKey(), challenge2, server.publicKey());
    byte[] mac =
        Handshake.clientMac(
            Handshake.LABEL_LOGIN, identity.secret(), clientEph.secret(), t1, subject);
    assertTrue(
        Handshake.verifyClientMac(
            Handshake.LABEL_LOGIN, serverEph1.secret(), identity.publicKey(), t1, subject, mac));
    assertFalse(
        Handshake.verifyClientMac(
            Handshake.LABEL_LOGIN, serverEph2.secret(), identity.publicKey(), t2, subject, mac));
    // a login MAC is not a registration MAC, and it names one identity only
    assertFalse(
        Handshake.verifyClientMac(
            Handshake.LABEL_REGISTER, serverEph1.secret(), identity.publicKey(), t1, subject, mac));
    assertFalse(
        Handshake.verifyClientMac(
            Handshake.LABEL_LOGIN,
            serverEph1.secret(),
            identity.publicKey(),
            t1,
            Handshake.loginSubject("ABCD1235"),
            mac));
    // a different identity key fails
    assertFalse(
        Handshake.verifyClientMac(
            Handshake.LABEL_LOGIN,
            serverEph1.secret(),
            X25519.generate(random).publicKey(),
            t1,
            subject,
            mac));
  }
}
