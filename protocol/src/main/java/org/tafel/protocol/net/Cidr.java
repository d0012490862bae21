package org.tafel.protocol.net;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address range in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3), immutable.
 *
 * <p>Parsing accepts literal addresses only and never resolves a host name. Host bits below the
 * prefix must be zero ({@code 10.0.0.1/8} is refused: it is most likely a typo for {@code /32} or
 * for {@code 10.0.0.0/8}). IPv4 components with leading zeros are refused because some tools read
 * them as octal.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are the same host as {@code a.b.c.d}:
 * {@link #contains(InetAddress)} matches an IPv4 range against a mapped address and an IPv6 range
 * covering {@code ::ffff:0:0/96} against a plain IPv4 address. Java itself returns an {@link
 * Inet4Address} for most mapped addresses.
 */
public final class Cidr {

  private static final long MAPPED_PREFIX = 0xffffL << 32;

  private final boolean ipv4;
  private final int prefixLength;
  // IPv4: network and mask; IPv6: network and mask as two 64-bit halves (hi = bits 0..63).
  private final int v4Network;
  private final int v4Mask;
  private final long hiNetwork;
  private final long loNetwork;
  private final long hiMask;
  private final long loMask;

  private Cidr(boolean ipv4, int prefixLength, int v4Network, long hiNetwork, long loNetwork) {
    this.ipv4 = ipv4;
    this.prefixLength = prefixLength;
    this.v4Network = v4Network;
    this.v4Mask = ipv4 ? ipv4Mask(prefixLength) : 0;
    this.hiNetwork = hiNetwork;
    this.loNetwork = loNetwork;
    this.hiMask = ipv4 ? 0 : mask64(prefixLength);
    this.loMask = ipv4 ? 0 : mask64(prefixLength - 64);
  }

  /** Parses {@code text} for a setting without a name; see {@link #parse(String, String)}. */
  public static Cidr parse(String text) {
    return parse("cidr", text);
  }

  /**
   * Parses {@code ADDRESS/PREFIX} or a bare {@code ADDRESS} (a single host: {@code /32} or {@code
   * /128}).
   *
   * @param key the setting being parsed, named in the error message (e.g. {@code "allow-peer"})
   * @throws IllegalArgumentException naming the key, the value and the expectation, e.g. {@code
   *     allow-peer: '10.0.0.0/33' (expected: ADDRESS/PREFIX with prefix 0..32 for IPv4)}
   */
  public static Cidr parse(String key, String text) {
    Objects.requireNonNull(key, "key");
    if (text == null) {
      throw invalid(key, null, "ADDRESS/PREFIX such as 10.0.0.0/8 or 2001:db8::/32");
    }
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = parseLiteral(addressText);
    if (bytes == null) {
      throw invalid(
          key, text, "ADDRESS/PREFIX with a literal IPv4 or IPv6 address, e.g. 10.0.0.0/8");
    }
    int maxPrefix = bytes.length * 8;
    String family = bytes.length == 4 ? "IPv4" : "IPv6";
    int prefix = maxPrefix;
    if (slash >= 0) {
      prefix = parsePrefix(text.substring(slash + 1), maxPrefix);
      if (prefix < 0) {
        throw invalid(key, text, "ADDRESS/PREFIX with prefix 0.." + maxPrefix + " for " + family);
      }
    }
    Cidr cidr;
    if (bytes.length == 4) {
      int address = ipv4ToInt(bytes, 0);
      cidr = new Cidr(true, prefix, address & ipv4Mask(prefix), 0, 0);
      if (cidr.v4Network != address) {
        throw invalid(key, text, "no address bits set after the prefix, e.g. " + cidr);
      }
    } else {
      long hi = toLong(bytes, 0);
      long lo = toLong(bytes, 8);
      cidr = new Cidr(false, prefix, 0, hi & mask64(prefix), lo & mask64(prefix - 64));
      if (cidr.hiNetwork != hi || cidr.loNetwork != lo) {
        throw invalid(key, text, "no address bits set after the prefix, e.g. " + cidr);
      }
    }
    return cidr;
  }

  /** Whether this range holds IPv4 addresses (else IPv6). */
  public boolean isIpv4() {
    return ipv4;
  }

  /** The prefix length: 0..32 for IPv4, 0..128 for IPv6. */
  public int prefixLength() {
    return prefixLength;
  }

  /** The first address of the range; for IPv6 always an {@link Inet6Address}. */
  public InetAddress address() {
    try {
      if (ipv4) {
        return InetAddress.getByAddress(intToBytes(v4Network));
      }
      byte[] bytes = new byte[16];
      putLong(bytes, 0, hiNetwork);
      putLong(bytes, 8, loNetwork);
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // cannot happen: the length is 4 or 16
    }
  }

  /** Whether {@code a} lies in this range; an IPv4-mapped IPv6 address counts as its IPv4. */
  public boolean contains(InetAddress a) {
    byte[] bytes = a.getAddress();
    if (bytes.length == 4) {
      int v4 = ipv4ToInt(bytes, 0);
      return ipv4 ? containsIpv4(v4) : containsIpv6(0, MAPPED_PREFIX | (v4 & 0xffffffffL));
    }
    long hi = toLong(bytes, 0);
    long lo = toLong(bytes, 8);
    if (ipv4) {
      return hi == 0 && (lo & 0xffffffff00000000L) == MAPPED_PREFIX && containsIpv4((int) lo);
    }
    return containsIpv6(hi, lo);
  }

  /**
   * Whether the IPv4 address {@code ipv4} (big-endian, as {@link #ipv4ToInt(Inet4Address)}) lies in
   * this range. Allocation-free. Always false for an IPv6 range that does not cover the mapped form
   * {@code ::ffff:a.b.c.d}.
   */
  public boolean containsIpv4(int ipv4) {
    if (this.ipv4) {
      return (ipv4 & v4Mask) == v4Network;
    }
    return containsIpv6(0, MAPPED_PREFIX | (ipv4 & 0xffffffffL));
  }

  /**
   * Whether the IPv6 address whose bits 0..63 are {@code hi} and 64..127 are {@code lo} lies in
   * this range. Allocation-free. Always false for an IPv4 range.
   */
  public boolean containsIpv6(long hi, long lo) {
    return !ipv4 && (hi & hiMask) == hiNetwork && (lo & loMask) == loNetwork;
  }

  /**
   * The address as a big-endian int, e.g. 10.0.0.1 is {@code 0x0a000001}. Allocation-free, for the
   * relay's per-datagram path: the JDK's {@code Inet4Address.hashCode()} is exactly this int
   * ({@code getAddress()} would copy a byte array); {@code CidrTest} pins that.
   */
  public static int ipv4ToInt(Inet4Address a) {
    return a.hashCode();
  }

  /** The inverse of {@link #ipv4ToInt}: the address of a big-endian int, without a name lookup. */
  public static Inet4Address ipv4FromInt(int ipv4) {
    byte[] b = {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4};
    try {
      return (Inet4Address) java.net.InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("four bytes are always an IPv4 address", e);
    }
  }

  /** Canonical form: {@code 10.0.0.0/8}, {@code 2001:db8::/32} (RFC 5952), prefix always shown. */
  @Override
  public String toString() {
    if (ipv4) {
      return ipv4ToString(v4Network) + "/" + prefixLength;
    }
    if (hiNetwork == 0 && (loNetwork & 0xffffffff00000000L) == MAPPED_PREFIX) {
      return "::ffff:" + ipv4ToString((int) loNetwork) + "/" + prefixLength; // RFC 5952 §5
    }
    byte[] bytes = new byte[16];
    putLong(bytes, 0, hiNetwork);
    putLong(bytes, 8, loNetwork);
    return NetUtil.bytesToIpAddress(bytes) + "/" + prefixLength;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c
        && c.ipv4 == ipv4
        && c.prefixLength == prefixLength
        && c.v4Network == v4Network
        && c.hiNetwork == hiNetwork
        && c.loNetwork == loNetwork;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ipv4, prefixLength, v4Network, hiNetwork, loNetwork);
  }

  // ---- parsing helpers ----

  private static IllegalArgumentException invalid(String key, String text, String expected) {
    String shown = text == null ? "null" : "'" + text + "'";
    return new IllegalArgumentException(key + ": " + shown + " (expected: " + expected + ")");
  }

  /** 4 or 16 bytes, or null if {@code text} is not a literal address without a zone. */
  private static byte[] parseLiteral(String text) {
    if (text.isEmpty() || text.indexOf('%') >= 0) {
      return null; // zone IDs name an interface of this host, not a range
    }
    if (text.indexOf(':') < 0) {
      return parseIpv4(text);
    }
    int lastColon = text.lastIndexOf(':');
    if (text.indexOf('.', lastColon) >= 0) {
      // Rewrite a trailing dotted quad as two hex groups: it must be strict too, and Netty's
      // parser would turn the IPv4-compatible ::a.b.c.d into the IPv4-mapped ::ffff:a.b.c.d.
      byte[] v4 = parseIpv4(text.substring(lastColon + 1));
      if (v4 == null) {
        return null;
      }
      int v = ipv4ToInt(v4, 0);
      text =
          text.substring(0, lastColon + 1)
              + Integer.toHexString(v >>> 16)
              + ":"
              + Integer.toHexString(v & 0xffff);
    }
    if (!NetUtil.isValidIpV6Address(text)) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    return bytes != null && bytes.length == 16 ? bytes : null;
  }

  /** Strict dotted quad: four decimal components 0..255 without leading zeros. */
  private static byte[] parseIpv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // leading zero
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  /** The prefix in 0..max, or -1. */
  private static int parsePrefix(String text, int max) {
    if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= max ? value : -1;
  }

  // ---- bit helpers (package-private: shared with SpecialPurposeAddresses) ----

  static int ipv4Mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** Mask with the top {@code prefix} bits set, clamped to 0..64. */
  static long mask64(int prefix) {
    if (prefix <= 0) {
      return 0;
    }
    return prefix >= 64 ? -1L : -1L << (64 - prefix);
  }

  static int ipv4ToInt(byte[] b, int offset) {
    return (b[offset] & 0xff) << 24
        | (b[offset + 1] & 0xff) << 16
        | (b[offset + 2] & 0xff) << 8
        | (b[offset + 3] & 0xff);
  }

  static long toLong(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[offset + i] & 0xff);
    }
    return v;
  }

  static void putLong(byte[] b, int offset, long v) {
    for (int i = 7; i >= 0; i--) {
      b[offset + i] = (byte) v;
      v >>>= 8;
    }
  }

  static byte[] intToBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  static String ipv4ToString(int v) {
    return (v >>> 24) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
  }
}
