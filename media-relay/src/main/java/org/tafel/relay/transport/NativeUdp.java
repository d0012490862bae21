package org.tafel.relay.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.tafel.protocol.net.Cidr;

/**
 * Batched IPv4 UDP I/O through a small JNI library ({@code src/main/c/tafel_udp.c}, built by gcc
 * into the jar as {@value #RESOURCE}).
 *
 * <p>It is for the relay's per-datagram path: one {@code recvmmsg} or {@code sendmmsg} per socket
 * per event-loop iteration instead of one system call per datagram, addresses and ports passed as
 * ints, datagram bytes and metadata in caller-owned direct memory, so no Java object is made per
 * datagram. Everything else (TCP/TLS, IPv6, control traffic, and all of it when {@link
 * #available()} is false: another OS or architecture, {@code -Dtafel.relay.native=false}, or a
 * library that did not load) stays on Netty.
 *
 * <p>Conventions: every int in caller memory is in native byte order; an IPv4 address is an int in
 * host order (127.0.0.1 is {@code 0x7F000001}); a failure is returned as {@code -errno} ({@link
 * #error(int)} names it). Sockets are non-blocking and close-on-exec. At most {@value #MAX_BATCH}
 * datagrams are handled per call; a larger count is clamped.
 */
public final class NativeUdp {
  /** Most datagrams one {@link #recv} or {@link #send} handles; larger counts are clamped. */
  public static final int MAX_BATCH = 64;

  /**
   * Bytes of receive metadata per datagram: ints {length, source ip, source port, flags} at offsets
   * 0, 4, 8, 12.
   */
  public static final int META_BYTES = 16;

  /**
   * Bytes of one send descriptor: long address at 0, int length at 8, int ip at 12, int port at 16,
   * int padding at 20.
   */
  public static final int DESC_BYTES = 24;

  /** errno of a port another socket holds. */
  public static final int EADDRINUSE = 98;

  /** Flags bit in receive metadata: the datagram was longer than {@code cap} and was cut. */
  public static final int FLAG_TRUNCATED = 1;

  /** Set to {@code false} to keep the relay on Netty even where the library would load. */
  public static final String PROPERTY = "tafel.relay.native";

  /**
   * Set to {@code false} to send every datagram as a message of its own even where the kernel could
   * take a run of them as one ({@link #segmentation()}).
   */
  public static final String SEGMENTATION_PROPERTY = "tafel.relay.gso";

  static final String RESOURCE = "/META-INF/native/libtafel_udp_linux_x86_64.so";

  private NativeUdp() {}

  /**
   * Whether the natives can be called: Linux on amd64, {@value #PROPERTY} is not {@code false}, and
   * the library loaded (the first call loads it, once).
   */
  public static boolean available() {
    return unavailableReason() == null;
  }

  /** Why {@link #available()} is false, or null when it is true. */
  public static String unavailableReason() {
    String platform = platformReason();
    if (platform != null) {
      return platform;
    }
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return "disabled by -D" + PROPERTY + "=false";
    }
    return Loader.FAILURE;
  }

  private static String platformReason() {
    String os = System.getProperty("os.name", "");
    String arch = System.getProperty("os.arch", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return "not Linux (os.name " + os + ")";
    }
    if (!arch.equals("amd64") && !arch.equals("x86_64")) {
      return "not x86_64 (os.arch " + arch + ")";
    }
    return null;
  }

  /** Loads the library on first use; {@link #FAILURE} says why it did not. */
  private static final class Loader {
    static final String FAILURE = load();

    private static String load() {
      Path file = null;
      try (InputStream in = NativeUdp.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          return "resource " + RESOURCE + " not on the class path";
        }
        file = Files.createTempFile("tafel_udp", ".so");
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        System.load(file.toAbsolutePath().toString());
        if ("false".equalsIgnoreCase(System.getProperty(SEGMENTATION_PROPERTY))) {
          segmentation(false);
        }
        return null;
      } catch (IOException | RuntimeException | LinkageError e) {
        return "cannot load " + RESOURCE + (file == null ? "" : " from " + file) + ": " + e;
      } finally {
        // Once loaded (or not), the file is not needed: the mapping outlives the name, and
        // nothing is left in the temporary directory when the process is killed.
        deleteQuietly(file);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      file.toFile().deleteOnExit();
    }
  }

  /**
   * Opens a non-blocking UDP socket bound to {@code ip:port} (port 0: an ephemeral port). {@code
   * rcvbuf} and {@code sndbuf} set SO_RCVBUF (capped by the kernel at {@code net.core.rmem_max})
   * and SO_SNDBUF when positive; {@code reusePort} sets SO_REUSEPORT.
   *
   * @return the file descriptor, or {@code -errno} (e.g. -EADDRINUSE)
   */
  public static native int open4(int ip, int port, int rcvbuf, int sndbuf, boolean reusePort);

  /** The port {@code fd} is bound to, or {@code -errno}. */
  public static native int localPort(int fd);

  /** Closes {@code fd}: 0 or {@code -errno}. */
  public static native int close0(int fd);

  /**
   * Receives up to {@code count} datagrams with one non-blocking {@code recvmmsg}. Datagram i is
   * stored at {@code buf + i * stride}, at most {@code cap} bytes of it, and {@code meta + i *}
   * {@value #META_BYTES} gets ints {length, source ip, source port, flags}. A datagram longer than
   * {@code cap} has {@link #FLAG_TRUNCATED} set and length {@code cap} (the bytes stored, not its
   * size on the wire).
   *
   * @return how many datagrams were received, 0 when none was queued, or {@code -errno}
   */
  public static native int recv(int fd, long buf, int stride, int cap, int count, long meta);

  /**
   * Sends {@code count} datagrams described at {@code desc + i *} {@value #DESC_BYTES} ({@code
   * long} address, {@code int} length, ip, port, padding) with {@code sendmmsg}, going on after a
   * partial send. It stops when the socket's send buffer is full; a datagram the kernel refuses
   * (EMSGSIZE, EINVAL, EPERM, ENETUNREACH, ...) is dropped and the rest are still sent.
   *
   * @return how many datagrams were sent (the others were dropped or not sent), or {@code -errno}
   *     only for a caller bug: EBADF, ENOTSOCK or EFAULT
   */
  public static native int send(int fd, long desc, int count);

  /**
   * Whether {@link #send} hands the kernel a run of datagrams for one destination as one message
   * (UDP segmentation offload, {@code UDP_SEGMENT}): on where the kernel supports it (Linux 4.18+)
   * unless {@value #SEGMENTATION_PROPERTY} is {@code false}, and off from the first run a route's
   * device could not take (EIO). A receiver gets the same datagrams either way.
   */
  public static boolean segmentation() {
    return segmentationCount(2) != 0;
  }

  /** Runs of several datagrams that {@link #send} handed the kernel as one message, so far. */
  public static long segmentedRuns() {
    return segmentationCount(0);
  }

  /** Runs the kernel refused, which {@link #send} then sent one datagram at a time, so far. */
  public static long segmentationFallbacks() {
    return segmentationCount(1);
  }

  private static long segmentationCount(int index) {
    long[] counts = new long[3];
    segmentationCounts(counts);
    return counts[index];
  }

  /**
   * Turns run segmentation on (where the kernel supports it) or off, for every socket of the
   * process; returns whether it is on now. For tests and {@value #SEGMENTATION_PROPERTY}.
   */
  static native boolean segmentation(boolean on);

  /**
   * Fills {@code out} with: [0] the runs of several datagrams sent as one message so far, [1] the
   * runs the kernel refused and that were sent again one datagram at a time, [2] 1 while
   * segmentation is on, else 0. Counts are for the whole process.
   */
  static native void segmentationCounts(long[] out);

  /**
   * Writes the buffers described at {@code desc + i *} {@value #DESC_BYTES} ({@code long} address,
   * {@code int} length; the rest of each descriptor is not read) to a connected stream socket with
   * one non-blocking {@code sendmsg} (MSG_NOSIGNAL), up to {@value #MAX_BATCH} of them.
   *
   * @return the bytes written (fewer than asked when the send buffer filled), 0 when none fitted,
   *     or {@code -errno}
   */
  public static native int writeStream(int fd, long desc, int count);

  /**
   * The name of {@code -errno} (a positive errno is accepted too): EBADF, EADDRINUSE, EACCES,
   * EAGAIN, EINVAL, EMSGSIZE, ECONNREFUSED, else {@code "errno N"}.
   */
  public static String error(int negErrno) {
    int errno = negErrno < 0 ? -negErrno : negErrno;
    return switch (errno) {
      case 9 -> "EBADF";
      case 11 -> "EAGAIN";
      case 13 -> "EACCES";
      case 22 -> "EINVAL";
      case 90 -> "EMSGSIZE";
      case EADDRINUSE -> "EADDRINUSE";
      case 111 -> "ECONNREFUSED";
      default -> "errno " + errno;
    };
  }

  /** {@code a} as a host-order int: 127.0.0.1 is {@code 0x7F000001}. */
  public static int ipv4(Inet4Address a) {
    byte[] b = a.getAddress();
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }

  /** The socket address of host-order {@code ip} and {@code port}, without a name lookup. */
  public static InetSocketAddress address(int ip, int port) {
    return new InetSocketAddress(Cidr.ipv4FromInt(ip), port);
  }
}
