package org.tafel.relay.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux grants a socket that asks for a receive buffer, from its own limits: twice the size
 * asked when this process has CAP_NET_ADMIN (SO_RCVBUFFORCE), else twice the smaller of the size
 * and {@code net.core.rmem_max}.
 */
public final class KernelBuffers {
  private static final int CAP_NET_ADMIN = 12;

  private KernelBuffers() {}

  /** SO_RCVBUF as getsockopt reports it after asking for {@code asked} bytes. */
  public static int receiveBuffer(int asked) throws IOException {
    if (hasNetAdmin()) {
      return 2 * asked;
    }
    int max = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
    return 2 * Math.min(asked, max);
  }

  private static boolean hasNetAdmin() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapEff:")) {
        long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
        return (caps & (1L << CAP_NET_ADMIN)) != 0;
      }
    }
    throw new IOException("/proc/self/status has no CapEff line");
  }
}
