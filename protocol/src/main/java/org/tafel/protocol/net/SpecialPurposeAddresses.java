package org.tafel.protocol.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses the IANA Special-Purpose Address Registries (RFC 6890, RFC 8190) mark as not
 * globally reachable: the peer addresses the media relay refuses by default (DESIGN.md §5).
 *
 * <p>Every registry entry whose "Globally Reachable" is False or N/A is refused, plus these
 * deliberate simplifications, all on the safe side:
 *
 * <ul>
 *   <li>IPv4 {@code 192.0.0.0/24} and IPv6 {@code 2001::/23} are refused whole, including the
 *       globally reachable anycast entries inside them ({@code 192.0.0.9}, {@code 192.0.0.10},
 *       {@code 2001:1::1..3}, {@code 2001:3::/32}, {@code 2001:4:112::/48}, {@code 2001:20::/28},
 *       {@code 2001:30::/28});
 *   <li>{@code 192.88.99.0/24} (deprecated 6to4 relay anycast, RFC 7526) is refused whole;
 *   <li>IPv4 multicast {@code 224.0.0.0/4} (RFC 5771) and IPv6 site-local {@code fec0::/10} (RFC
 *       3879) and multicast {@code ff00::/8} (RFC 4291 §2.7) are refused although they live in
 *       other registries;
 *   <li>IPv6 outside global unicast {@code 2000::/3} (RFC 4291 §2.4) is refused, except the
 *       translation prefix {@code 64:ff9b::/96};
 *   <li>IPv4 embedded in IPv6 is checked as IPv4: IPv4-mapped {@code ::ffff:0:0/96} and
 *       IPv4-compatible {@code ::/96} (RFC 4291 §2.5.5), NAT64 {@code 64:ff9b::/96} (RFC 6052) and
 *       6to4 {@code 2002::/16} (RFC 3056, bits 16..47).
 * </ul>
 *
 * <p>The registry entries with their RFCs are in the test resources {@code
 * iana/ipv4-special-registry.csv} and {@code iana/ipv6-special-registry.csv}, which drive the
 * tests.
 */
public final class SpecialPurposeAddresses {

  private SpecialPurposeAddresses() {}

  /** Whether {@code a} may be a relay peer by default: false for every special-purpose range. */
  public static boolean isGloballyReachable(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return isGloballyReachableIpv4(Cidr.ipv4ToInt(b, 0));
    }
    return isGloballyReachableIpv6(Cidr.toLong(b, 0), Cidr.toLong(b, 8));
  }

  /** Allocation-free IPv4 check; {@code ipv4} is big-endian, 10.0.0.1 is {@code 0x0a000001}. */
  public static boolean isGloballyReachableIpv4(int ipv4) {
    int first = ipv4 >>> 24;
    switch (first) {
      case 0: // 0.0.0.0/8 "this network" (RFC 791 §3.2, RFC 1122 §3.2.1.3)
      case 10: // 10.0.0.0/8 private-use (RFC 1918)
      case 127: // 127.0.0.0/8 loopback (RFC 1122 §3.2.1.3)
        return false;
      case 100: // 100.64.0.0/10 shared address space, CGNAT (RFC 6598)
        return (ipv4 & 0xffc00000) != 0x64400000;
      case 169: // 169.254.0.0/16 link local (RFC 3927)
        return ipv4 >>> 16 != 0xa9fe;
      case 172: // 172.16.0.0/12 private-use (RFC 1918)
        return (ipv4 & 0xfff00000) != 0xac100000;
      case 192:
        int slash24 = ipv4 >>> 8;
        return slash24 != 0xc00000 // 192.0.0.0/24 IETF protocol assignments (RFC 6890 §2.1)
            && slash24 != 0xc00002 // 192.0.2.0/24 TEST-NET-1 (RFC 5737)
            && slash24 != 0xc05863 // 192.88.99.0/24 deprecated 6to4 relay anycast (RFC 7526)
            && ipv4 >>> 16 != 0xc0a8; // 192.168.0.0/16 private-use (RFC 1918)
      case 198:
        return (ipv4 & 0xfffe0000) != 0xc6120000 // 198.18.0.0/15 benchmarking (RFC 2544)
            && ipv4 >>> 8 != 0xc63364; // 198.51.100.0/24 TEST-NET-2 (RFC 5737)
      case 203: // 203.0.113.0/24 TEST-NET-3 (RFC 5737)
        return ipv4 >>> 8 != 0xcb0071;
      default:
        // 224.0.0.0/4 multicast (RFC 5771), 240.0.0.0/4 reserved (RFC 1112 §4),
        // 255.255.255.255/32 limited broadcast (RFC 8190, RFC 919 §7)
        return first < 224;
    }
  }

  /**
   * Allocation-free IPv6 check; {@code hi} holds bits 0..63 of the address, {@code lo} bits
   * 64..127.
   */
  public static boolean isGloballyReachableIpv6(long hi, long lo) {
    if (hi == 0) {
      if (lo == 0 || lo == 1) {
        return false; // ::/128 unspecified, ::1/128 loopback (RFC 4291)
      }
      long upper = lo >>> 32;
      if (upper == 0xffffL || upper == 0) {
        // ::ffff:0:0/96 IPv4-mapped, ::/96 IPv4-compatible (RFC 4291 §2.5.5)
        return isGloballyReachableIpv4((int) lo);
      }
      return false; // rest of ::/8, reserved by IETF (RFC 4291 §2.4)
    }
    if (hi == 0x0064ff9b00000000L && lo >>> 32 == 0) {
      return isGloballyReachableIpv4((int) lo); // 64:ff9b::/96 NAT64 well-known (RFC 6052)
    }
    int first16 = (int) (hi >>> 48);
    if (first16 == 0x2002) {
      return isGloballyReachableIpv4((int) (hi >>> 16)); // 2002::/16 6to4 (RFC 3056)
    }
    if (hi >>> 61 != 1) {
      // Outside 2000::/3 global unicast (RFC 4291 §2.4), among them 64:ff9b:1::/48 (RFC 8215),
      // 100::/64 discard-only (RFC 6666), 5f00::/16 SRv6 SIDs (RFC 9602), fc00::/7 ULA
      // (RFC 4193), fe80::/10 link-local (RFC 4291), fec0::/10 site-local (RFC 3879),
      // ff00::/8 multicast (RFC 4291 §2.7).
      return false;
    }
    return hi >>> 41 != 0x2001L << 7 // 2001::/23 IETF protocol assignments (RFC 2928)
        && hi >>> 32 != 0x20010db8L // 2001:db8::/32 documentation (RFC 3849)
        && hi >>> 44 != 0x3fff0L; // 3fff::/20 documentation (RFC 9637)
  }

  /**
   * The IPv4 address embedded in an IPv4-mapped ({@code ::ffff:0:0/96}), IPv4-compatible ({@code
   * ::/96}, other than {@code ::} and {@code ::1}), NAT64 ({@code 64:ff9b::/96}) or 6to4 ({@code
   * 2002::/16}) address, or null for any other address.
   */
  public static Inet4Address embeddedIpv4(Inet6Address a) {
    byte[] b = a.getAddress();
    long hi = Cidr.toLong(b, 0);
    long lo = Cidr.toLong(b, 8);
    int v4;
    if (hi == 0 && (lo >>> 32 == 0xffffL || (lo >>> 32 == 0 && lo != 0 && lo != 1))) {
      v4 = (int) lo;
    } else if (hi == 0x0064ff9b00000000L && lo >>> 32 == 0) {
      v4 = (int) lo;
    } else if (hi >>> 48 == 0x2002) {
      v4 = (int) (hi >>> 16);
    } else {
      return null;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(Cidr.intToBytes(v4));
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // cannot happen: four bytes
    }
  }
}
