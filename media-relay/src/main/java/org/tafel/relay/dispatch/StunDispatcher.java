package org.tafel.relay.dispatch;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.protocol.demux.PacketKind;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunErrorCode;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.protocol.stun.StunParseException;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.forward.ClientForwarder;
import org.tafel.relay.transport.ClientLink;

/**
 * Entry point for everything a client sends: demultiplexes (RFC 7983), parses, and routes to the
 * request handlers or the forwarder. Owns nothing but a reusable parser per thread.
 */
public final class StunDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(StunDispatcher.class);
  private static final FastThreadLocal<StunMessage> PARSER =
      new FastThreadLocal<>() {
        @Override
        protected StunMessage initialValue() {
          return new StunMessage();
        }
      };

  private final RelayContext ctx;
  private final Responder responder;
  private final Authenticator authenticator;
  private final AllocateHandler allocate;
  private final AllocationRequests requests;
  private final ClientForwarder forwarder;

  public StunDispatcher(RelayContext ctx) {
    this.ctx = ctx;
    this.responder = new Responder(ctx);
    this.authenticator = new Authenticator(ctx, responder);
    this.forwarder = new ClientForwarder(ctx);
    this.allocate = new AllocateHandler(ctx, responder, authenticator);
    this.requests = new AllocationRequests(ctx, responder, authenticator, allocate);
  }

  public ClientForwarder forwarder() {
    return forwarder;
  }

  public RelayMetrics metrics() {
    return ctx.metrics();
  }

  public AllocationLifecycle lifecycle() {
    return allocate.lifecycle();
  }

  /** A handler bug: counted and logged without any address, never fatal to the listener. */
  public void onInternalError(RuntimeException e) {
    ctx.metrics().drop(DropReason.MALFORMED);
    LOG.warn("internal error while handling a packet: {}", e.toString());
  }

  /**
   * Handles one framed message from a client; takes ownership of {@code frame}.
   *
   * @param allocation the allocation of this 5-tuple, or null
   */
  public void onFrame(ClientLink link, Allocation allocation, ByteBuf frame) {
    if (!frame.isReadable()) {
      frame.release();
      ctx.metrics().drop(DropReason.MALFORMED);
      return;
    }
    int first = frame.getUnsignedByte(frame.readerIndex());
    // On a TURN listener the two leading bits tell STUN (00) from ChannelData (01), RFC 8656 §12.
    if ((first & 0xC0) == 0x40) {
      forwarder.onChannelData(allocation, frame);
      return;
    }
    if (PacketKind.classify(first) != PacketKind.STUN) {
      frame.release();
      ctx.metrics().drop(DropReason.UNKNOWN_KIND);
      return;
    }
    StunMessage m = PARSER.get();
    try {
      m.parse(frame);
    } catch (StunParseException e) {
      frame.release();
      ctx.metrics().drop(DropReason.MALFORMED);
      return;
    }
    try {
      route(link, allocation, m);
    } finally {
      // Send indications hand a retained slice to the forwarder; everything else is done here.
      frame.release();
    }
  }

  private void route(ClientLink link, Allocation allocation, StunMessage m) {
    StunClass cls = m.stunClass();
    int method = m.method();
    if (cls == StunClass.INDICATION) {
      if (method == StunMethod.SEND) {
        forwarder.onSendIndication(allocation, m);
      } else {
        ctx.metrics().drop(DropReason.UNEXPECTED_MESSAGE);
      }
      return;
    }
    if (cls != StunClass.REQUEST) {
      ctx.metrics().drop(DropReason.UNEXPECTED_MESSAGE);
      return;
    }
    switch (method) {
      case StunMethod.BINDING -> binding(link, m);
      case StunMethod.ALLOCATE -> allocate.handle(link, allocation, m);
      case StunMethod.REFRESH -> requests.refresh(link, allocation, m);
      case StunMethod.CREATE_PERMISSION -> requests.createPermission(link, allocation, m);
      case StunMethod.CHANNEL_BIND -> requests.channelBind(link, allocation, m);
      default -> responder.error(link, m, StunErrorCode.BAD_REQUEST, null, false);
    }
  }

  /** RFC 8489 §6.3.1: a Binding request is answered with the client's reflexive address. */
  private void binding(ClientLink link, StunMessage m) {
    int unknown = Responder.firstUnknownRequired(m);
    if (unknown >= 0) {
      responder.unknownAttributes(link, m, null);
      return;
    }
    InetSocketAddress mapped = link.remote();
    responder.success(
        link, m, null, w -> w.addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, mapped));
  }
}
