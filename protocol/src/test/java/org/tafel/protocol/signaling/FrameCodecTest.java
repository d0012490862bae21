package org.tafel.protocol.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private final FrameCodec codec = new FrameCodec();

  @Test
  void decodesSendWithBase64Fields() throws Exception {
    String mid = Base64.getEncoder().encodeToString(new byte[16]);
    String nonce = Base64.getEncoder().encodeToString(new byte[24]);
    ClientFrame f =
        codec.decodeClient(
            "{\"type\":\"send\",\"id\":\"7\",\"messageId\":\""
                + mid
                + "\",\"recipients\":[{\"to\":\"ABCD1234\",\"nonce\":\""
                + nonce
                + "\",\"box\":\"AQID\"}],\"queue\":\"short\",\"future\":1}");
    ClientFrame.Send send = assertInstanceOf(ClientFrame.Send.class, f);
    assertEquals("7", send.id());
    assertEquals(QueueClass.SHORT, send.queue());
    assertArrayEquals(new byte[] {1, 2, 3}, send.recipients().get(0).box());
  }

  @Test
  void encodesTypeAndOmitsNulls() {
    String text = codec.encode(new ServerFrame.Sent("9", new byte[16]));
    assertEquals(
        "{\"type\":\"sent\",\"id\":\"9\",\"messageId\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}", text);
    String err = codec.encode(new ServerFrame.Error(null, ErrorCode.TOO_LARGE, "box"));
    assertEquals("{\"type\":\"error\",\"code\":\"too-large\",\"message\":\"box\"}", err);
  }

  @Test
  void roundTripsEveryServerFrameThroughTheClientSide() throws Exception {
    ServerFrame.Deliver d =
        new ServerFrame.Deliver(
            new byte[16], "ABCD1234", new byte[24], new byte[] {9}, QueueClass.NORMAL, 5);
    ServerFrame back = codec.decodeServer(codec.encode(d));
    assertEquals("ABCD1234", assertInstanceOf(ServerFrame.Deliver.class, back).sender());
    ServerFrame.TurnCredentials t =
        new ServerFrame.TurnCredentials("1", List.of("turn:x"), "1:abc", "pw", 1);
    assertEquals(
        List.of("turn:x"),
        assertInstanceOf(ServerFrame.TurnCredentials.class, codec.decodeServer(codec.encode(t)))
            .urls());
  }

  @Test
  void namesTheErrorOfEachBadFrame() {
    assertCode(ErrorCode.MALFORMED, "{not json");
    assertCode(ErrorCode.MALFORMED, "[1,2]");
    assertCode(ErrorCode.MALFORMED, "{\"id\":\"1\"}");
    assertCode(ErrorCode.UNKNOWN_TYPE, "{\"type\":\"teleport\",\"id\":\"1\"}");
    assertCode(ErrorCode.MALFORMED, "{\"type\":\"hello\",\"v\":1,\"ephemeral\":\"AQID\"}");
    assertCode(ErrorCode.MALFORMED, "{\"type\":\"login\",\"identity\":\"abc\",\"mac\":\"AQID\"}");
    assertCode(
        ErrorCode.MALFORMED,
        "{\"type\":\"send\",\"messageId\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"recipients\":[]}");
    assertCode(ErrorCode.MALFORMED, "{\"type\":\"hello\"} trailing");
    assertCode(ErrorCode.MALFORMED, "{\"type\":\"discover\",\"hashes\":[[[[[[[[[[[]]]]]]]]]]]}");
    FrameException e =
        assertThrows(
            FrameException.class, () -> codec.decodeClient("{\"type\":\"teleport\",\"id\":42}"));
    assertEquals("42", e.requestId());
    FrameException bad =
        assertThrows(
            FrameException.class,
            () ->
                codec.decodeClient(
                    "{\"type\":\"login\",\"id\":\"x\",\"identity\":\"ABCD1234\",\"mac\":\"AQID\"}"));
    assertTrue(bad.getMessage().contains("mac: 3 bytes (expected: 32)"), bad.getMessage());
  }

  private void assertCode(ErrorCode code, String text) {
    FrameException e = assertThrows(FrameException.class, () -> codec.decodeClient(text), text);
    assertEquals(code, e.code(), text + " -> " + e.getMessage());
  }
}
