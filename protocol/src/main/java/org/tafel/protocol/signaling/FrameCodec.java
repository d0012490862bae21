package org.tafel.protocol.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Encodes and decodes signaling frames (JSON text). Unknown fields are ignored (so a newer peer can
 * add some); an unknown {@code type} is {@link ErrorCode#UNKNOWN_TYPE}; anything else that does not
 * decode, or fails a field check, is {@link ErrorCode#MALFORMED} with the reason. Thread-safe.
 */
public final class FrameCodec {
  private static final int MAX_DEPTH = 8;
  private static final int MAX_STRING = 256 * 1024;

  private final ObjectMapper json;
  private final ObjectReader clientReader;
  private final ObjectReader serverReader;
  private final ObjectWriter clientWriter;
  private final ObjectWriter serverWriter;

  public FrameCodec() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING)
                    .maxNumberLength(32)
                    .build())
            .build();
    json =
        JsonMapper.builder(factory)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    clientReader = json.readerFor(ClientFrame.class);
    serverReader = json.readerFor(ServerFrame.class);
    clientWriter = json.writerFor(ClientFrame.class);
    serverWriter = json.writerFor(ServerFrame.class);
  }

  public ClientFrame decodeClient(String text) throws FrameException {
    return decode(clientReader, text);
  }

  public ServerFrame decodeServer(String text) throws FrameException {
    return decode(serverReader, text);
  }

  public String encode(ServerFrame frame) {
    try {
      return serverWriter.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + frame.getClass().getSimpleName(), e);
    }
  }

  public String encode(ClientFrame frame) {
    try {
      return clientWriter.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + frame.getClass().getSimpleName(), e);
    }
  }

  private <T> T decode(ObjectReader reader, String text) throws FrameException {
    if (!text.stripLeading().startsWith("{")) {
      throw new FrameException(
          ErrorCode.MALFORMED, "not a JSON object (expected: {\"type\": ...})", null);
    }
    try {
      return reader.readValue(text);
    } catch (InvalidTypeIdException e) {
      String type = e.getTypeId();
      if (type == null) {
        throw new FrameException(
            ErrorCode.MALFORMED, "type: missing (expected: a frame type)", requestId(text));
      }
      throw new FrameException(
          ErrorCode.UNKNOWN_TYPE, "type: '" + shorten(type) + "' is not known", requestId(text));
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String reason =
          cause instanceof IllegalArgumentException
              ? cause.getMessage()
              : path(e) + e.getOriginalMessage().lines().findFirst().orElse("");
      throw new FrameException(ErrorCode.MALFORMED, shorten(reason), requestId(text));
    } catch (JsonProcessingException e) {
      throw new FrameException(
          ErrorCode.MALFORMED,
          "not valid JSON: " + shorten(e.getOriginalMessage().lines().findFirst().orElse("")),
          null);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder p = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        p.append(p.length() > 0 ? "." : "").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        p.append('[').append(r.getIndex()).append(']');
      }
    }
    return p.length() > 0 ? p + ": " : "";
  }

  /** The frame's {@code id} if the text is a JSON object with a short string or number id. */
  private String requestId(String text) {
    try {
      JsonNode node = json.readTree(text);
      JsonNode id = node == null ? null : node.get("id");
      if (id != null && (id.isTextual() || id.isNumber()) && id.asText().length() <= 64) {
        return id.asText();
      }
    } catch (JsonProcessingException e) {
      // no id
    }
    return null;
  }

  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
