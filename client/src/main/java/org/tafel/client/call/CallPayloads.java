package org.tafel.client.call;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.tafel.client.crypto.MessageType;

/**
 * The JSON form of call payloads. The payload's type is not in the JSON: it is the sealed message's
 * type, authenticated with it. Unknown fields are ignored (newer clients may add some); missing or
 * invalid ones are refused with the field's name.
 */
public final class CallPayloads {
  public static final int MAX_CANDIDATES = 32;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .addMixIn(CallPayload.class, NoTypeProperty.class)
          .build();

  private CallPayloads() {}

  /** A new random call ID: 128 bits, base64url without padding (22 characters). */
  public static String newCallId(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static byte[] encode(CallPayload payload) {
    try {
      return JSON.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("encoding " + payload.messageType().wireName(), e);
    }
  }

  /** Decodes the body of a sealed message of {@code type}. */
  public static CallPayload decode(MessageType type, byte[] json) throws MalformedPayloadException {
    Class<? extends CallPayload> cls =
        switch (type) {
          case CALL_OFFER -> CallPayload.Offer.class;
          case CALL_RINGING -> CallPayload.Ringing.class;
          case CALL_ANSWER -> CallPayload.Answer.class;
          case CALL_CANDIDATES -> CallPayload.Candidates.class;
          case CALL_HANGUP -> CallPayload.Hangup.class;
          default -> throw new IllegalArgumentException(type.wireName() + " is not a call payload");
        };
    try {
      CallPayload p = JSON.readValue(json, cls);
      if (p == null) {
        throw new MalformedPayloadException(type.wireName() + ": null");
      }
      return p;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new MalformedPayloadException(type.wireName() + ": " + cause.getMessage());
    } catch (IOException e) {
      throw new MalformedPayloadException(type.wireName() + ": " + originalMessage(e));
    }
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  static void checkCallId(String id) {
    require(
        id != null && id.matches("[A-Za-z0-9_-]{16,64}"),
        "callId: expected 16..64 characters of [A-Za-z0-9_-]");
  }

  static List<IceCandidate> checkCandidates(List<IceCandidate> c) {
    require(c != null, "candidates: missing");
    require(c.size() <= MAX_CANDIDATES, "candidates: " + c.size() + " (expected: <= 32)");
    require(c.stream().allMatch(java.util.Objects::nonNull), "candidates: null entry");
    return List.copyOf(c);
  }

  /** Keeps {@code messageType()} out of the JSON. */
  private abstract static class NoTypeProperty {
    @JsonIgnore
    abstract MessageType messageType();
  }

  private static String originalMessage(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }
}
