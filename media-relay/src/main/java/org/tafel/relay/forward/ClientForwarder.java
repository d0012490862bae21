package org.tafel.relay.forward;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunParseException;
import org.tafel.protocol.stun.TurnFraming;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.dispatch.RelayContext;
import org.tafel.relay.transport.RelaySocket;

/**
 * Client to peer: ChannelData (RFC 8656 §12.4) and Send indications (§11.2). The payload is sliced
 * out of the received buffer and written to the relay socket as it is; the relay sockets written
 * during one read batch are flushed once at its end.
 */
public final class ClientForwarder {
  /** What a Send indication may carry that must be understood (RFC 8656 §11.2). */
  private static final int[] SEND_KNOWN = {
    StunAttribute.XOR_PEER_ADDRESS, StunAttribute.DATA, StunAttribute.DONT_FRAGMENT
  };

  private final RelayContext ctx;
  private final RelayMetrics metrics;

  public ClientForwarder(RelayContext ctx) {
    this.ctx = ctx;
    this.metrics = ctx.metrics();
  }

  /** Forwards one ChannelData message; takes ownership of {@code frame}. */
  public void onChannelData(Allocation a, ByteBuf frame) {
    if (a == null || a.relaySocket() == null) {
      frame.release();
      metrics.drop(DropReason.NO_ALLOCATION);
      return;
    }
    if (frame.readableBytes() < TurnFraming.CHANNEL_DATA_HEADER) {
      frame.release();
      metrics.drop(DropReason.MALFORMED);
      return;
    }
    int start = frame.readerIndex();
    int number = frame.getUnsignedShort(start);
    int length = frame.getUnsignedShort(start + 2);
    if (length > frame.readableBytes() - TurnFraming.CHANNEL_DATA_HEADER) {
      frame.release();
      metrics.drop(DropReason.MALFORMED);
      return;
    }
    long now = ctx.nowMillis();
    Allocation.ChannelBinding b = a.channel(number);
    if (b == null || !b.live(now)) {
      frame.release();
      metrics.drop(DropReason.UNBOUND_CHANNEL);
      return;
    }
    frame.setIndex(
        start + TurnFraming.CHANNEL_DATA_HEADER, start + TurnFraming.CHANNEL_DATA_HEADER + length);
    if (!PeerGate.admits(a, b, now, ctx.policy(), metrics)) {
      frame.release();
      return;
    }
    RelaySocket relay = relayFor(a, frame);
    if (relay != null) {
      relay.send(frame, b);
      counted(length);
    }
  }

  /** Forwards the DATA of a parsed Send indication; the caller keeps and releases the message. */
  public void onSendIndication(Allocation a, StunMessage m) {
    if (a == null || a.relaySocket() == null) {
      metrics.drop(DropReason.NO_ALLOCATION);
      return;
    }
    int pa = m.find(StunAttribute.XOR_PEER_ADDRESS);
    int data = m.find(StunAttribute.DATA);
    if (pa < 0 || data < 0) {
      metrics.drop(DropReason.MALFORMED);
      return;
    }
    if (m.findUnknownComprehensionRequired(SEND_KNOWN) >= 0) {
      metrics.drop(DropReason.MALFORMED); // RFC 8656 §11.2: unknown required → discard
      return;
    }
    InetSocketAddress peer;
    try {
      peer = m.readXorAddress(pa);
    } catch (StunParseException e) {
      metrics.drop(DropReason.MALFORMED);
      return;
    }
    ByteBuf payload =
        m.buffer().retainedSlice(m.attributeValueIndex(data), m.attributeLength(data));
    send(a, peer, payload, ctx.nowMillis());
  }

  private void send(Allocation a, InetSocketAddress peer, ByteBuf payload, long nowMillis) {
    if (!PeerGate.admits(a, peer, nowMillis, ctx.policy(), metrics)) {
      payload.release();
      return;
    }
    int len = payload.readableBytes();
    RelaySocket relay = relayFor(a, payload);
    if (relay != null) {
      relay.send(payload, peer);
      counted(len);
    }
  }

  /**
   * The allocation's relay socket if {@code payload} may go out now (bandwidth, backlog); null
   * after releasing and counting it otherwise.
   */
  private RelaySocket relayFor(Allocation a, ByteBuf payload) {
    if (!a.takeToPeer(payload.readableBytes())) {
      payload.release();
      metrics.drop(DropReason.BANDWIDTH);
      return null;
    }
    RelaySocket relay = a.relaySocket();
    if (!relay.writable()) {
      payload.release();
      metrics.drop(DropReason.RELAY_BACKLOG);
      return null;
    }
    return relay;
  }

  private void counted(int len) {
    metrics.packetsClientToPeer.increment();
    metrics.bytesClientToPeer.add(len);
  }
}
