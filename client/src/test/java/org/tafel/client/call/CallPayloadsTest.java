package org.tafel.client.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpProfile;
import org.tafel.client.crypto.MessageType;

class CallPayloadsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CALL_ID = "b2xhZnNjaG9vbGNhbGwx";
  private static final IceParameters ICE = new IceParameters("aB3d", "0123456789abcdefABCDEF+/");
  private static final IceCandidate RELAY =
      new IceCandidate("1", 1, "udp", 16777215L, "203.0.113.7", 49152, "relay");

  private static CallPayload.Offer offer() {
    return new CallPayload.Offer(
        CALL_ID,
        ICE,
        List.of(RELAY, new IceCandidate("2", 1, "udp", 100, "2001:db8::1", 3478, "relay")),
        List.of(
            SrtpCrypto.of(SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, RANDOM)),
            SrtpCrypto.of(SrtpMasterKey.generate(SrtpProfile.AES_CM_128_HMAC_SHA1_80, RANDOM))),
        Set.of(MediaKind.AUDIO, MediaKind.VIDEO));
  }

  private static String json(CallPayload p) {
    return new String(CallPayloads.encode(p), StandardCharsets.UTF_8);
  }

  private static CallPayload decode(MessageType t, String json) throws MalformedPayloadException {
    return CallPayloads.decode(t, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTripsEveryPayload() throws Exception {
    List<CallPayload> all =
        List.of(
            offer(),
            new CallPayload.Ringing(CALL_ID),
            new CallPayload.Answer(
                CALL_ID,
                ICE,
                List.of(RELAY),
                SrtpCrypto.of(SrtpMasterKey.generate(SrtpProfile.AEAD_AES_128_GCM, RANDOM)),
                Set.of(MediaKind.AUDIO)),
            new CallPayload.Candidates(CALL_ID, List.of(RELAY), true),
            new CallPayload.Hangup(CALL_ID, HangupReason.DECLINED));
    for (CallPayload p : all) {
      assertEquals(p, CallPayloads.decode(p.messageType(), CallPayloads.encode(p)), json(p));
      assertFalse(json(p).contains("messageType"), json(p));
    }
  }

  @Test
  void writesTheDocumentedJson() {
    assertEquals(
        "{\"callId\":\"" + CALL_ID + "\",\"reason\":\"declined\"}",
        json(new CallPayload.Hangup(CALL_ID, HangupReason.DECLINED)));
    String offer = json(offer());
    assertTrue(offer.contains("\"ice\":{\"ufrag\":\"aB3d\",\"password\":"), offer);
    assertTrue(
        offer.contains(
            "{\"foundation\":\"1\",\"component\":1,\"transport\":\"udp\",\"priority\":16777215,"
                + "\"address\":\"203.0.113.7\",\"port\":49152,\"type\":\"relay\"}"),
        offer);
    assertTrue(offer.contains("\"profile\":\"AEAD_AES_128_GCM\",\"key\":\""), offer);
    assertTrue(offer.contains("\"media\":["), offer);
  }

  @Test
  void ignoresFieldsANewerClientAdds() throws Exception {
    assertEquals(
        new CallPayload.Ringing(CALL_ID),
        decode(MessageType.CALL_RINGING, "{\"callId\":\"" + CALL_ID + "\",\"device\":\"tablet\"}"));
  }

  @Test
  void refusesMalformedPayloadsNamingTheField() {
    assertMalformed(MessageType.CALL_RINGING, "{}", "callId");
    assertMalformed(MessageType.CALL_RINGING, "{\"callId\":\"short\"}", "callId");
    assertMalformed(MessageType.CALL_RINGING, "[1,2]", "call-ringing");
    assertMalformed(MessageType.CALL_RINGING, "not json", "call-ringing");
    assertMalformed(
        MessageType.CALL_HANGUP, "{\"callId\":\"" + CALL_ID + "\",\"reason\":\"bored\"}", "reason");
    String offer = json(offer());
    assertMalformed(
        MessageType.CALL_OFFER, offer.replace("203.0.113.7", "relay.example.org"), "address");
    assertMalformed(MessageType.CALL_OFFER, offer.replace("\"udp\"", "\"tcp\""), "transport");
    assertMalformed(
        MessageType.CALL_OFFER, offer.replace("\"ufrag\":\"aB3d\"", "\"ufrag\":\"a\""), "ufrag");
    assertMalformed(
        MessageType.CALL_OFFER,
        offer.replaceFirst("\"key\":\"[^\"]*\"", "\"key\":\"AAAA\""),
        "srtp.key");
    assertMalformed(
        MessageType.CALL_OFFER, offer.replace("\"media\":[", "\"media\":[\"smell\","), "media");
  }

  @Test
  void refusesMoreThanThirtyTwoCandidates() {
    List<IceCandidate> many = Collections.nCopies(33, RELAY);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new CallPayload.Candidates(CALL_ID, many, false));
    assertTrue(e.getMessage().contains("candidates"), e.getMessage());
  }

  @Test
  void makesRandomCallIdsOf128Bits() {
    String id = CallPayloads.newCallId(RANDOM);
    assertEquals(22, id.length());
    assertFalse(id.equals(CallPayloads.newCallId(RANDOM)));
    new CallPayload.Ringing(id);
  }

  private static void assertMalformed(MessageType t, String json, String field) {
    MalformedPayloadException e =
        assertThrows(MalformedPayloadException.class, () -> decode(t, json), json);
    assertTrue(
        e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
  }
}
