package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import org.tafel.protocol.net.Cidr;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.forward.PeerForwarder;

/**
 * An allocation's relay socket on the native path: datagrams from peers are read in batches into
 * the loop's arena and framed in place by the {@link PeerForwarder}; datagrams to peers are queued
 * where they lie (a ChannelData payload read by a {@link NativeUdpListener}) or copied into the
 * arena, and sent with one {@code sendmmsg} per loop iteration.
 */
public final class NativeRelaySocket extends NativeSocket implements RelaySocket {
  /**
   * SO_RCVBUF of a relay socket (the kernel doubles it, capped by net.core.rmem_max): room for a
   * peer's burst while the loop is busy elsewhere. Memory is taken only while datagrams wait.
   */
  private static final int RECEIVE_BUFFER = 1024 * 1024;

  private final PeerForwarder forwarder;

  private NativeRelaySocket(
      IoEventLoop loop, int fd, RelayMetrics metrics, PeerForwarder forwarder) {
    super(loop, fd, metrics, DropReason.RELAY_BACKLOG);
    this.forwarder = forwarder;
  }

  /**
   * Opens a relay socket on {@code bind}:{@code port} whose datagrams from peers go to {@code
   * forwarder}, not yet reading ({@link #start()}); null when the port cannot be bound (in use by
   * another process, for one).
   */
  public static NativeRelaySocket open(
      IoEventLoop loop,
      Inet4Address bind,
      int port,
      RelayMetrics metrics,
      PeerForwarder forwarder) {
    int fd = NativeUdp.open4(NativeUdp.ipv4(bind), port, RECEIVE_BUFFER, 0, false);
    if (fd < 0) {
      return null;
    }
    return new NativeRelaySocket(loop, fd, metrics, forwarder);
  }

  /** Starts reading; the future fails (and the socket is closed) if the loop refuses it. */
  public io.netty.util.concurrent.Future<?> start() {
    return register();
  }

  @Override
  void onDatagram(NativeArena arena, int i) {
    forwarder.forwardIpv4(arena.sourceIp(i), arena.sourcePort(i), arena.datagram(i));
  }

  @Override
  void onInternalError(RuntimeException e) {
    metrics.drop(DropReason.MALFORMED); // as the listener counts a handler bug
  }

  @Override
  public boolean writable() {
    return isOpen();
  }

  @Override
  public void send(ByteBuf payload, InetSocketAddress peer) {
    if (!(peer.getAddress() instanceof Inet4Address v4)) {
      notIpv4(payload);
      return;
    }
    send(payload, Cidr.ipv4ToInt(v4), peer.getPort());
  }

  @Override
  public void send(ByteBuf payload, Allocation.ChannelBinding channel) {
    if (!channel.isIpv4) {
      notIpv4(payload);
      return;
    }
    send(payload, channel.ipv4, channel.port);
  }

  private void notIpv4(ByteBuf payload) {
    payload.release(); // an IPv4 relay has no permission for other families
    metrics.drop(DropReason.PEER_POLICY);
  }

  private void send(ByteBuf payload, int ip, int port) {
    NativeArena arena = FlushBatch.current().arena();
    int len = payload.readableBytes();
    long address;
    if (payload.hasMemoryAddress() && arena.contains(payload.memoryAddress())) {
      address = payload.memoryAddress() + payload.readerIndex();
    } else {
      address = arena.copyIn(payload, payload.readerIndex(), len);
    }
    payload.release();
    enqueue(address, len, ip, port);
  }
}
