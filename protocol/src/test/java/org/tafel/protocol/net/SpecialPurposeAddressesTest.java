package org.tafel.protocol.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SpecialPurposeAddressesTest {

  /** One row of iana/ipv4-special-registry.csv or iana/ipv6-special-registry.csv. */
  record Entry(String prefix, String name, String rfc, String globallyReachable, String tafel) {
    @Override
    public String toString() {
      return prefix + " " + name + " (" + rfc + ")";
    }
  }

  static Stream<Entry> registry() throws IOException {
    return Stream.concat(
        load("/iana/ipv4-special-registry.csv").stream(),
        load("/iana/ipv6-special-registry.csv").stream());
  }

  private static List<Entry> load(String resource) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (InputStream in = SpecialPurposeAddressesTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      boolean header = true;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          assertEquals("prefix,name,rfc,globally_reachable,tafel", line.strip());
          header = false;
          continue;
        }
        String[] f = line.strip().split(",", -1);
        assertEquals(5, f.length, line);
        entries.add(new Entry(f[0], f[1], f[2], f[3], f[4]));
      }
    }
    assertFalse(entries.isEmpty(), resource);
    return entries;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registry")
  void refusesEveryEntryTheRegistryMarksNotGloballyReachable(Entry e) {
    assertTrue(
        List.of("True", "False", "N/A").contains(e.globallyReachable()), e.globallyReachable());
    if (!e.globallyReachable().equals("True")) {
      assertTrue(e.tafel().equals("refused") || e.tafel().equals("embedded"), e.tafel());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registry")
  void decidesFirstAndLastAddressOfEveryEntryAsListed(Entry e) throws Exception {
    Cidr cidr = Cidr.parse("registry", e.prefix());
    byte[] first = cidr.address().getAddress();
    byte[] last = first.clone();
    for (int bit = cidr.prefixLength(); bit < last.length * 8; bit++) {
      last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    boolean expected = e.tafel().equals("allowed");
    for (byte[] bytes : List.of(first, last)) {
      InetAddress a = address(bytes);
      assertEquals(expected, SpecialPurposeAddresses.isGloballyReachable(a), a.toString());
      assertTrue(cidr.contains(a), a.toString());
    }
  }

  /** The address just outside each refused range, where it is not inside another one. */
  @ParameterizedTest(name = "{0} reachable={1}")
  @CsvSource({
    "1.0.0.0, true",
    "9.255.255.255, true",
    "11.0.0.0, true",
    "100.63.255.255, true",
    "100.128.0.0, true",
    "126.255.255.255, true",
    "128.0.0.0, true",
    "169.253.255.255, true",
    "169.255.0.0, true",
    "172.15.255.255, true",
    "172.32.0.0, true",
    "191.255.255.255, true",
    "192.0.1.0, true",
    "192.0.1.255, true",
    "192.0.3.0, true",
    "192.88.98.255, true",
    "192.88.100.0, true",
    "192.167.255.255, true",
    "192.169.0.0, true",
    "198.17.255.255, true",
    "198.20.0.0, true",
    "198.51.99.255, true",
    "198.51.101.0, true",
    "203.0.112.255, true",
    "203.0.114.0, true",
    "223.255.255.255, true",
    "239.255.255.255, false",
    "255.255.255.254, false",
    "2000::, true",
    "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
    "2001:200::, true",
    "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff, true",
    "2001:db9::, true",
    "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
    "2003::, true",
    "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
    "3fff:1000::, true",
    "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff, false",
    "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
    "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false",
    "4000::, false",
    "::fffe:ffff:ffff, false",
    "::1:0:0:0, false",
    "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff, false",
    "64:ff9b:0:0:0:1::, false",
    "100:0:0:2::, false",
    "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, false",
    "fe00::, false",
  })
  void decidesAddressesJustOutsideTheRanges(String text, boolean reachable) throws Exception {
    InetAddress a = address(Cidr.parse(text).address().getAddress());
    assertEquals(reachable, SpecialPurposeAddresses.isGloballyReachable(a), text);
  }

  /** The examples DESIGN.md §5 names, and well-known public resolvers. */
  @ParameterizedTest(name = "{0} reachable={1}")
  @CsvSource({
    "127.0.0.1, false",
    "10.0.0.1, false",
    "192.168.1.1, false",
    "100.64.0.1, false",
    "169.254.169.254, false",
    "::ffff:10.0.0.1, false",
    "::ffff:8.8.8.8, true",
    "::10.0.0.1, false",
    "64:ff9b::a00:1, false",
    "64:ff9b::808:808, true",
    "2002:a00:1::, false",
    "2002:808:808::1, true",
    "0.0.0.0, false",
    "255.255.255.255, false",
    "224.0.0.1, false",
    "240.0.0.1, false",
    "fe80::1, false",
    "fd00::1, false",
    "::, false",
    "::1, false",
    "8.8.8.8, true",
    "1.1.1.1, true",
    "2606:4700::1111, true",
    "2001:4860:4860::8888, true",
  })
  void decidesTheDesignExamples(String text, boolean reachable) throws Exception {
    InetAddress a = address(Cidr.parse(text).address().getAddress());
    assertEquals(reachable, SpecialPurposeAddresses.isGloballyReachable(a), text);
  }

  @Test
  void checksRawIpv4MappedInet6AddressAsIpv4() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
    Inet6Address raw = Inet6Address.getByAddress(null, mapped, -1);
    assertFalse(SpecialPurposeAddresses.isGloballyReachable(raw));
    assertEquals(InetAddress.getByName("10.0.0.1"), SpecialPurposeAddresses.embeddedIpv4(raw));
    // What Java makes of the same text: an Inet4Address, refused as well.
    InetAddress parsed = InetAddress.getByName("::ffff:10.0.0.1");
    assertTrue(parsed instanceof Inet4Address);
    assertFalse(SpecialPurposeAddresses.isGloballyReachable(parsed));
  }

  @ParameterizedTest(name = "{0} embeds {1}")
  @CsvSource({
    "::ffff:a00:1, 10.0.0.1",
    "::a00:1, 10.0.0.1",
    "64:ff9b::a00:1, 10.0.0.1",
    "2002:a00:1::, 10.0.0.1",
    "2002:808:808:1::1, 8.8.8.8",
    "::, ",
    "::1, ",
    "64:ff9b:1::a00:1, ",
    "2001:db8::a00:1, ",
    "fe80::a00:1, ",
  })
  void findsEmbeddedIpv4(String v6, String v4) throws Exception {
    Inet6Address a = (Inet6Address) Cidr.parse(v6).address();
    Inet4Address embedded = SpecialPurposeAddresses.embeddedIpv4(a);
    if (v4 == null) {
      assertNull(embedded, v6);
    } else {
      assertEquals(InetAddress.getByName(v4), embedded, v6);
    }
  }

  @Test
  void ipv4EntryPointAgreesWithInetAddressEntryPoint() throws Exception {
    for (String s : List.of("10.0.0.1", "8.8.8.8", "255.255.255.255", "192.0.0.9")) {
      Inet4Address a = (Inet4Address) InetAddress.getByName(s);
      assertEquals(
          SpecialPurposeAddresses.isGloballyReachable(a),
          SpecialPurposeAddresses.isGloballyReachableIpv4(Cidr.ipv4ToInt(a)),
          s);
    }
  }

  /** Keeps IPv4-mapped bytes as an Inet6Address, unlike InetAddress.getByAddress. */
  private static InetAddress address(byte[] bytes) throws Exception {
    return bytes.length == 16
        ? Inet6Address.getByAddress(null, bytes, -1)
        : InetAddress.getByAddress(bytes);
  }
}
