package org.tafel.relay.transport;

import io.netty.channel.ChannelException;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP listener's kernel receive buffer, by descriptor, for native listeners and epoll channels
 * alike: socket options through Netty's {@link Socket} on the descriptor (it does not own it; on a
 * closed descriptor its constructor throws a {@link ChannelException}).
 */
public final class ReceiveBuffers {
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUFFORCE = 33;
  private static final int SO_MEMINFO = 55;

  /** Index of the drop count among SO_MEMINFO's unsigned ints (SK_MEMINFO_DROPS). */
  private static final int SK_MEMINFO_DROPS = 8;

  private ReceiveBuffers() {}

  /**
   * Sets the receive buffer with SO_RCVBUFFORCE, which may pass {@code net.core.rmem_max}: false
   * when refused (EPERM without CAP_NET_ADMIN in the initial user namespace), the size set before
   * then unchanged.
   */
  public static boolean force(int fd, int size) {
    try {
      new Socket(fd).setIntOpt(SOL_SOCKET, SO_RCVBUFFORCE, size);
      return true;
    } catch (IOException | ChannelException refused) {
      return false;
    }
  }

  /** SO_RCVBUF as the kernel reports it (twice the bytes granted), or -1 when unreadable. */
  public static int size(int fd) {
    try {
      return new Socket(fd).getReceiveBufferSize();
    } catch (IOException | ChannelException closed) {
      return -1;
    }
  }

  /**
   * Datagrams the kernel dropped at the receive buffer since the socket opened (SO_MEMINFO, Linux
   * 4.12+; the last column of /proc/net/udp; a 32-bit count that wraps), or -1 when unreadable.
   */
  public static long drops(int fd) {
    ByteBuffer info =
        ByteBuffer.allocate((SK_MEMINFO_DROPS + 1) * Integer.BYTES).order(ByteOrder.nativeOrder());
    try {
      new Socket(fd).getRawOpt(SOL_SOCKET, SO_MEMINFO, info);
    } catch (IOException | ChannelException closed) {
      return -1;
    }
    return info.getInt(SK_MEMINFO_DROPS * Integer.BYTES) & 0xFFFF_FFFFL;
  }
}
