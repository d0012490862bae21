package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import io.netty.util.collection.LongObjectHashMap;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.relay.RelayMetrics.DropReason;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.dispatch.StunDispatcher;

/**
 * A client-facing UDP listener on the native path, one per event loop on the same port
 * (SO_REUSEPORT). ChannelData from a client with an allocation is forwarded from where it was read,
 * without a copy or an object per datagram. A Send indication from such a client goes through the
 * {@link StunDispatcher} as it lies in the arena: parsed there, its DATA queued to the peer from
 * there (no copy in, none out). Everything else (STUN requests, anything from a client without an
 * allocation) is copied into a pooled buffer, since a request's handling may outlive the arena's
 * datagram, and goes through the dispatcher like on the Netty path.
 */
public final class NativeUdpListener extends NativeSocket {
  private static final int SEND_INDICATION =
      StunMethod.messageType(StunMethod.SEND, StunClass.INDICATION);

  private final StunDispatcher dispatcher;
  private final InetSocketAddress localAddress;

  /** Allocations by client address and port ({@link #key}); owned by this loop. */
  final LongObjectHashMap<Allocation> allocations = new LongObjectHashMap<>();

  private NativeUdpListener(
      IoEventLoop loop, int fd, StunDispatcher dispatcher, InetSocketAddress localAddress) {
    super(loop, fd, dispatcher.metrics(), DropReason.WRITE_BACKLOG);
    this.dispatcher = dispatcher;
    this.localAddress = localAddress;
  }

  /**
   * Binds a listener on {@code bind} (port 0: any) with SO_REUSEPORT and starts reading; throws
   * {@link java.net.BindException} when the port is in use, an {@link IOException} naming the errno
   * for any other failure.
   */
  public static NativeUdpListener open(
      IoEventLoop loop,
      InetSocketAddress bind,
      int receiveBuffer,
      int sendBuffer,
      StunDispatcher dispatcher)
      throws IOException {
    int fd =
        NativeUdp.open4(
            NativeUdp.ipv4((java.net.Inet4Address) bind.getAddress()),
            bind.getPort(),
            receiveBuffer,
            sendBuffer,
            true);
    if (fd == -NativeUdp.EADDRINUSE) {
      throw new java.net.BindException("udp port " + bind.getPort() + " is in use");
    }
    if (fd < 0) {
      throw new IOException("udp port " + bind.getPort() + ": " + NativeUdp.error(fd));
    }
    // Past net.core.rmem_max when the process may; SO_RCVBUF's capped size stays otherwise.
    ReceiveBuffers.force(fd, receiveBuffer);
    int port = NativeUdp.localPort(fd);
    NativeUdpListener l =
        new NativeUdpListener(loop, fd, dispatcher, new InetSocketAddress(bind.getAddress(), port));
    l.register().syncUninterruptibly();
    return l;
  }

  InetSocketAddress localAddress() {
    return localAddress;
  }

  /** The bound port. */
  public int port() {
    return localAddress.getPort();
  }

  /** Closes the listener on its loop and waits for it. */
  public void closeOnLoop() {
    loop.submit(this::close).awaitUninterruptibly();
  }

  private static long key(int ip, int port) {
    return (Integer.toUnsignedLong(ip) << 16) | port;
  }

  @Override
  void onDatagram(NativeArena arena, int i) {
    int ip = arena.sourceIp(i);
    int port = arena.sourcePort(i);
    long key = key(ip, port);
    Allocation a = allocations.get(key);
    ByteBuf datagram = arena.datagram(i);
    int len = datagram.readableBytes();
    if (a != null && len > 0) {
      int start = datagram.readerIndex();
      if ((datagram.getUnsignedByte(start) & 0xC0) == 0x40) {
        dispatcher.forwarder().onChannelData(a, datagram);
        return;
      }
      if (len >= 2 && datagram.getUnsignedShort(start) == SEND_INDICATION) {
        // The dispatcher parses the view and the forwarder queues a slice of it; releasing the
        // arena's view does nothing, so the bytes stay where they are until the loop's flush.
        dispatcher.onFrame(a.link(), a, datagram);
        return;
      }
    }
    ByteBuf frame = Transports.ALLOCATOR.directBuffer(Math.max(len, 1));
    frame.writeBytes(datagram);
    ClientLink link = a != null ? a.link() : new NativeUdpClientLink(this, ip, port, key);
    dispatcher.onFrame(link, a, frame);
  }

  @Override
  void onInternalError(RuntimeException e) {
    dispatcher.onInternalError(e);
  }
}
