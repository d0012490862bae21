package org.tafel.relay.transport;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's view of UDP receive buffers: what Linux grants a socket that asks for one, from its
 * own limits (twice the size asked when this process may set SO_RCVBUFFORCE; else twice the smaller
 * of the size and {@code net.core.rmem_max}), and what it dropped there.
 */
public final class KernelBuffers {
  private KernelBuffers() {}

  /** SO_RCVBUF as getsockopt reports it after asking for {@code asked} bytes. */
  public static int receiveBuffer(int asked) throws IOException {
    if (mayForce()) {
      return 2 * asked;
    }
    int max = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
    return 2 * Math.min(asked, max);
  }

  /**
   * Whether the kernel lets this process set SO_RCVBUFFORCE (CAP_NET_ADMIN in the initial user
   * namespace, which /proc/self/status cannot tell inside a container): tried on a throwaway
   * socket.
   */
  private static boolean mayForce() {
    EpollDatagramChannel probe = new EpollDatagramChannel();
    try {
      probe.config().setOption(new IntegerUnixChannelOption("SO_RCVBUFFORCE", 1, 33), 1 << 16);
      return true;
    } catch (ChannelException refused) {
      return false;
    } finally {
      probe.unsafe().closeForcibly();
    }
  }

  /**
   * The kernel's receive-buffer drops summed over the UDP sockets bound to 127.0.0.1:port (the last
   * column of /proc/net/udp); throws when there is none.
   */
  public static long udpDrops(int port) throws IOException {
    String local = String.format("0100007F:%04X", port);
    long sum = 0;
    boolean found = false;
    for (String line : Files.readAllLines(Path.of("/proc/net/udp"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 1 && f[1].equals(local)) {
        sum += Long.parseLong(f[f.length - 1]);
        found = true;
      }
    }
    if (!found) {
      throw new IOException("no UDP socket on " + local + " in /proc/net/udp");
    }
    return sum;
  }
}
