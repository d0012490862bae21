package org.tafel.protocol.stun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the conformance vectors in {@code src/test/resources/vectors/}. */
final class Vectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Vectors() {}

  static JsonNode load(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing vector file " + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(JsonNode node) {
    return ByteBufUtil.decodeHexDump(node.asText());
  }

  static byte[] hex(String s) {
    return ByteBufUtil.decodeHexDump(s);
  }

  /** An unpooled heap buffer with the bytes; callers release it. */
  static ByteBuf buffer(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  /** A direct buffer with some bytes before and after, readable range = {@code bytes}. */
  static ByteBuf directWithSurroundings(byte[] bytes) {
    ByteBuf buf = Unpooled.directBuffer(bytes.length + 16);
    buf.writeZero(7);
    buf.writeBytes(bytes);
    buf.readerIndex(7);
    return buf;
  }
}
