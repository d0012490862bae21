package org.tafel.relay.dispatch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunErrorCode;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.protocol.stun.StunWriter;
import org.tafel.relay.transport.ClientLink;
import org.tafel.relay.transport.Transports;

/** Builds and sends responses: success with MESSAGE-INTEGRITY, errors with their attributes. */
final class Responder {
  private static final int MAX_RESPONSE = 512;
  private final RelayContext ctx;

  Responder(RelayContext ctx) {
    this.ctx = ctx;
  }

  /** Comprehension-required attributes this server understands (RFC 8489 §14, RFC 8656 §18). */
  private static final int[] KNOWN = {
    StunAttribute.MAPPED_ADDRESS,
    StunAttribute.USERNAME,
    StunAttribute.MESSAGE_INTEGRITY,
    StunAttribute.ERROR_CODE,
    StunAttribute.UNKNOWN_ATTRIBUTES,
    StunAttribute.CHANNEL_NUMBER,
    StunAttribute.LIFETIME,
    StunAttribute.XOR_PEER_ADDRESS,
    StunAttribute.DATA,
    StunAttribute.REALM,
    StunAttribute.NONCE,
    StunAttribute.XOR_RELAYED_ADDRESS,
    StunAttribute.REQUESTED_ADDRESS_FAMILY,
    StunAttribute.EVEN_PORT,
    StunAttribute.REQUESTED_TRANSPORT,
    StunAttribute.DONT_FRAGMENT,
    StunAttribute.MESSAGE_INTEGRITY_SHA256,
    StunAttribute.PASSWORD_ALGORITHM,
    StunAttribute.XOR_MAPPED_ADDRESS,
    StunAttribute.RESERVATION_TOKEN,
    StunAttribute.PRIORITY,
    StunAttribute.USE_CANDIDATE
  };

  /** Index of the first unknown comprehension-required attribute, or -1. */
  static int firstUnknownRequired(StunMessage m) {
    return m.findUnknownComprehensionRequired(KNOWN);
  }

  void unknownAttributes(ClientLink link, StunMessage m, byte[] key) {
    int[] types = new int[m.attributeCount()];
    int n = 0;
    for (int i = m.findUnknownComprehensionRequired(KNOWN);
        i >= 0;
        i = m.findUnknownComprehensionRequired(KNOWN, i + 1)) {
      types[n++] = m.attributeType(i);
    }
    int count = n;
    error(
        link,
        m,
        StunErrorCode.UNKNOWN_ATTRIBUTE,
        key,
        false,
        w -> w.addUnknownAttributes(types, count));
  }

  void success(ClientLink link, StunMessage m, byte[] key, Consumer<StunWriter> body) {
    success(link, m.method(), m.buffer(), m.transactionIdIndex(), key, body);
  }

  /** A success response for a request that is no longer at hand (after an asynchronous step). */
  void successFor(ClientLink link, int method, byte[] tid, byte[] key, Consumer<StunWriter> body) {
    success(link, method, Unpooled.wrappedBuffer(tid), 0, key, body);
  }

  /** An error response for a request that is no longer at hand. */
  void errorFor(ClientLink link, int method, byte[] tid, StunErrorCode code, byte[] key) {
    ctx.metrics().errorResponse(code.code());
    ByteBuf out = Transports.ALLOCATOR.directBuffer(MAX_RESPONSE);
    StunWriter w =
        new StunWriter()
            .begin(
                out,
                StunMethod.messageType(method, StunClass.ERROR_RESPONSE),
                Unpooled.wrappedBuffer(tid),
                0);
    w.addErrorCode(code);
    finish(w, key);
    send(link, out);
  }

  private void success(
      ClientLink link,
      int method,
      ByteBuf tidSource,
      int tidIndex,
      byte[] key,
      Consumer<StunWriter> body) {
    ByteBuf out = Transports.ALLOCATOR.directBuffer(MAX_RESPONSE);
    StunWriter w =
        new StunWriter()
            .begin(
                out,
                StunMethod.messageType(method, StunClass.SUCCESS_RESPONSE),
                tidSource,
                tidIndex);
    body.accept(w);
    finish(w, key);
    send(link, out);
  }

  void error(ClientLink link, StunMessage m, StunErrorCode code, byte[] key, boolean challenge) {
    error(link, m, code, key, challenge, w -> {});
  }

  /**
   * Sends an error response. With {@code challenge}, REALM and a fresh NONCE go along (401, 438).
   * With a key, the response carries MESSAGE-INTEGRITY (errors after successful authentication).
   */
  void error(
      ClientLink link,
      StunMessage m,
      StunErrorCode code,
      byte[] key,
      boolean challenge,
      Consumer<StunWriter> extra) {
    ctx.metrics().errorResponse(code.code());
    ByteBuf out = Transports.ALLOCATOR.directBuffer(MAX_RESPONSE);
    StunWriter w =
        new StunWriter()
            .begin(
                out,
                StunMethod.messageType(m.method(), StunClass.ERROR_RESPONSE),
                m.buffer(),
                m.transactionIdIndex());
    w.addErrorCode(code);
    if (challenge) {
      w.addString(StunAttribute.REALM, ctx.config().realm());
      w.addString(StunAttribute.NONCE, ctx.nonces().issue(link.remote().getAddress()));
    }
    extra.accept(w);
    finish(w, key);
    send(link, out);
  }

  private static void finish(StunWriter w, byte[] key) {
    if (key != null) {
      w.addMessageIntegrity(key);
    }
    w.addFingerprint();
    w.finish();
  }

  private static void send(ClientLink link, ByteBuf out) {
    link.write(out);
    link.flush();
  }
}
