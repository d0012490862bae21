package org.tafel.relay.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import org.tafel.protocol.net.Cidr;
import org.tafel.protocol.stun.TurnFraming;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.dispatch.AllocationLifecycle;
import org.tafel.relay.dispatch.RelayContext;
import org.tafel.relay.transport.ClientLink;
import org.tafel.relay.transport.FlushBatch;

/**
 * Peer to client, on the allocation's relay socket: checks the permission and the peer policy per
 * datagram, then writes the ChannelData header (§12.4) or the Data indication header (§11.3) in
 * place in front of the payload and hands the buffer to the client's transport.
 */
public final class PeerForwarder extends ChannelInboundHandlerAdapter {
  private final RelayContext ctx;
  private final RelayMetrics metrics;
  private final Allocation allocation;
  private final AllocationLifecycle lifecycle;
  private final HeadroomRecvByteBufAllocator receiveBuffers;

  // What forwardIpv4 found for the peer it saw last (loop-confined, like the allocation).
  private int peerIp;
  private int peerPort;
  private InetSocketAddress peer;
  private Allocation.Permission permission;
  private Allocation.ChannelBinding binding;
  private int seen;

  public PeerForwarder(
      RelayContext ctx,
      Allocation allocation,
      AllocationLifecycle lifecycle,
      HeadroomRecvByteBufAllocator receiveBuffers) {
    this.ctx = ctx;
    this.receiveBuffers = receiveBuffers;
    this.metrics = ctx.metrics();
    this.allocation = allocation;
    this.lifecycle = lifecycle;
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    DatagramPacket packet = (DatagramPacket) msg;
    forward(packet.sender(), packet.content(), receiveBuffers.lastRoot(), false);
  }

  /**
   * Forwards one datagram from {@code peer}, taking ownership of {@code payload}.
   *
   * @param root the buffer {@code payload} was received into, with free bytes in front, or null
   * @param arena true when {@code payload} is a view of the loop's native arena, which the client
   *     link queues in place or copies
   */
  public void forward(InetSocketAddress peer, ByteBuf payload, ByteBuf root, boolean arena) {
    Allocation a = allocation;
    if (a.closed()) {
      payload.release();
      return;
    }
    long now = ctx.nowMillis();
    if (!PeerGate.admits(a, peer, now, ctx.policy(), metrics)) {
      payload.release();
      return;
    }
    deliver(a, a.channelFor(peer), peer, payload, root, arena, now);
  }

  /**
   * {@link #forward} for a datagram of the native path (in the loop's arena) from an IPv4 peer
   * given as ints. What the lookups by address found for the last peer (its address object,
   * permission and binding) is used again while datagrams come from the same peer and the
   * allocation's {@link Allocation#generation} is unchanged; so a steady stream reads this object
   * and the allocation, not the address objects and maps.
   */
  public void forwardIpv4(int ip, int port, ByteBuf payload) {
    Allocation a = allocation;
    if (a.closed()) {
      payload.release();
      return;
    }
    long now = ctx.nowMillis();
    if (peer == null || ip != peerIp || port != peerPort) {
      peer = new InetSocketAddress(Cidr.ipv4FromInt(ip), port);
      peerIp = ip;
      peerPort = port;
      permission = null;
    }
    if (permission == null || seen != a.generation()) {
      permission = a.permission(peer.getAddress());
      binding = a.channelFor(peer);
      seen = a.generation();
    }
    Allocation.Permission p = permission;
    if (p == null || !p.live(now)) {
      payload.release();
      PeerGate.noPermission(metrics);
      return;
    }
    if (!PeerGate.allowed(ctx.policy().checkIpv4(ip, port), metrics)) {
      payload.release();
      return;
    }
    deliver(a, binding, peer, payload, null, true, now);
  }

  /** The checks and framing after the permission and policy: {@code b} is the peer's binding. */
  private void deliver(
      Allocation a,
      Allocation.ChannelBinding b,
      InetSocketAddress peer,
      ByteBuf payload,
      ByteBuf root,
      boolean arena,
      long now) {
    int len = payload.readableBytes();
    if (len > HeadroomRecvByteBufAllocator.MAX_DATAGRAM - 1) {
      payload.release();
      metrics.drop(DropReason.OVERSIZE);
      return;
    }
    ClientLink link = a.link();
    if (!link.writable()) {
      payload.release();
      metrics.drop(DropReason.WRITE_BACKLOG);
      return;
    }
    if (!a.takeToClient(len)) {
      payload.release();
      metrics.drop(DropReason.BANDWIDTH);
      return;
    }
    ByteBuf out;
    if (b != null && b.live(now)) {
      out = withRoom(payload, root, TurnFraming.CHANNEL_DATA_HEADER, 3);
      TurnFraming.prependChannelDataHeader(out, b.number);
      if (link.stream()) {
        TurnFraming.padTo4(out);
      }
    } else {
      out = withRoom(payload, root, TurnFraming.DATA_INDICATION_HEADROOM, 3);
      if (peer.getAddress() instanceof Inet4Address v4) {
        TurnFraming.prependDataIndication(out, Cidr.ipv4ToInt(v4), peer.getPort());
      } else {
        TurnFraming.prependDataIndication(out, peer.getAddress().getAddress(), peer.getPort());
      }
    }
    if (arena) {
      link.writeArena(out);
    } else {
      link.write(out);
    }
    FlushBatch.mark(link.flushTarget());
    metrics.packetsPeerToClient.increment();
    metrics.bytesPeerToClient.add(len);
  }

  private ByteBuf withRoom(ByteBuf payload, ByteBuf root, int need, int tail) {
    ByteBuf out = Headroom.expand(payload, root, need, tail);
    if (out != null) {
      return out;
    }
    metrics.payloadCopies.increment();
    ByteBuf copy = payload.alloc().directBuffer(need + payload.readableBytes() + tail);
    copy.writerIndex(need).readerIndex(need);
    copy.writeBytes(payload);
    payload.release();
    return copy;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    // ICMP port unreachable and the like arrive here on some transports; they do not end the
    // allocation, which lives until its lifetime runs out.
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    lifecycle.free(allocation);
  }
}
