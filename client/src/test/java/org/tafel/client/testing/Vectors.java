package org.tafel.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** Reads the shared conformance vectors copied into {@code src/test/resources/vectors}. */
public final class Vectors {
  private final JsonNode root;

  private Vectors(JsonNode root) {
    this.root = root;
  }

  public static Vectors load(String file) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /vectors/" + file);
      }
      return new Vectors(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonNode root() {
    return root;
  }

  /** The entry of {@code vectors} whose {@code id} is {@code id}. */
  public JsonNode byId(String id) {
    for (JsonNode v : root.get("vectors")) {
      if (id.equals(v.path("id").asText())) {
        return v;
      }
    }
    throw new IllegalArgumentException("no vector " + id);
  }

  public static byte[] hex(JsonNode node, String field) {
    JsonNode f = node.get(field);
    if (f == null) {
      throw new IllegalArgumentException("vector has no field " + field + ": " + node);
    }
    return HexFormat.of().parseHex(f.asText());
  }
}
