package org.tafel.protocol.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0/8, true, 8",
    "0.0.0.0/0, 0.0.0.0/0, true, 0",
    "192.168.1.7, 192.168.1.7/32, true, 32",
    "::1/128, ::1/128, false, 128",
    "::1, ::1/128, false, 128",
    "2001:db8::/32, 2001:db8::/32, false, 32",
    "2001:0DB8:0000::/48, 2001:db8::/48, false, 48",
    "::/0, ::/0, false, 0",
    "::ffff:10.0.0.0/104, ::ffff:10.0.0.0/104, false, 104",
    "::10.0.0.0/104, ::a00:0/104, false, 104",
    "2001:db8:0:0:8000::/65, 2001:db8:0:0:8000::/65, false, 65",
  })
  void parsesToCanonicalForm(String text, String canonical, boolean ipv4, int prefix) {
    Cidr cidr = Cidr.parse(text);
    assertEquals(canonical, cidr.toString());
    assertEquals(ipv4, cidr.isIpv4());
    assertEquals(prefix, cidr.prefixLength());
    assertEquals(cidr, Cidr.parse(canonical));
    assertEquals(cidr.hashCode(), Cidr.parse(canonical).hashCode());
  }

  @Test
  void namesKeyValueAndExpectationWhenPrefixTooLong() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("allow-peer", "10.0.0.0/33"));
    assertEquals(
        "allow-peer: '10.0.0.0/33' (expected: ADDRESS/PREFIX with prefix 0..32 for IPv4)",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("allow-peer", "::/129"));
    assertEquals(
        "allow-peer: '::/129' (expected: ADDRESS/PREFIX with prefix 0..128 for IPv6)",
        e.getMessage());
  }

  @Test
  void refusesHostBitsAfterThePrefix() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("allow-peer", "10.0.0.1/8"));
    assertEquals(
        "allow-peer: '10.0.0.1/8' (expected: no address bits set after the prefix, e.g."
            + " 10.0.0.0/8)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::1/32"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/8",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "10.0.0.0/08",
        "10.0.0.0/8/8",
        "10.0.0/8",
        "10.0.0.256",
        "010.0.0.1",
        "10.0.0.1 ",
        " 10.0.0.1",
        "localhost",
        "example.org/32",
        "fe80::1%eth0",
        "1::2::3",
        "::ffff:010.0.0.1",
        "::g",
        "0x0a000001",
      })
  void refusesMalformedText(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("allow-peer", text));
    assertTrue(e.getMessage().startsWith("allow-peer: '" + text + "' (expected: "), e.getMessage());
  }

  @Test
  void refusesNull() {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("allow-peer", null));
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0, true",
    "10.0.0.0/8, 10.255.255.255, true",
    "10.0.0.0/8, 9.255.255.255, false",
    "10.0.0.0/8, 11.0.0.0, false",
    "0.0.0.0/0, 255.255.255.255, true",
    "192.168.1.7, 192.168.1.7, true",
    "192.168.1.7, 192.168.1.8, false",
    "10.0.0.0/8, ::ffff:10.1.2.3, true",
    "10.0.0.0/8, ::10.1.2.3, false",
    "10.0.0.0/8, 64:ff9b::a01:203, false",
    "::ffff:10.0.0.0/104, 10.1.2.3, true",
    "::ffff:10.0.0.0/104, 11.1.2.3, false",
    "::/0, 10.1.2.3, true",
    "2001:db8::/32, 2001:db8::, true",
    "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
    "2001:db8::/32, 2001:db7:ffff:ffff:ffff:ffff:ffff:ffff, false",
    "2001:db8::/32, 2001:db9::, false",
    "2001:db8::/32, 10.0.0.1, false",
    "2001:db8:0:0:8000::/65, 2001:db8::8000:0:0:0, true",
    "2001:db8:0:0:8000::/65, 2001:db8::ffff:ffff:ffff:ffff, true",
    "2001:db8:0:0:8000::/65, 2001:db8::7fff:ffff:ffff:ffff, false",
    "2001:db8:0:0:8000::/65, 2001:db8:0:1:8000::, false",
    "::1, ::1, true",
    "::1, ::, false",
  })
  void containsExactlyTheRange(String cidr, String address, boolean contained) throws Exception {
    byte[] bytes = Cidr.parse(address).address().getAddress();
    InetAddress raw =
        bytes.length == 16
            ? Inet6Address.getByAddress(null, bytes, -1)
            : InetAddress.getByAddress(bytes);
    Cidr c = Cidr.parse(cidr);
    assertEquals(contained, c.contains(raw), "raw " + raw);
    // Java's own parse turns ::ffff:a.b.c.d into an Inet4Address; the answer must not change.
    InetAddress javaParsed = InetAddress.getByName(address);
    assertEquals(contained, c.contains(javaParsed), "parsed " + javaParsed);
    if (javaParsed instanceof Inet4Address v4) {
      assertEquals(contained, c.containsIpv4(Cidr.ipv4ToInt(v4)), "int " + v4);
    }
  }

  @Test
  void ipv4ToIntIsTheBigEndianAddress() throws Exception {
    for (String a : new String[] {"10.0.0.1", "192.168.1.1", "255.255.255.255", "0.0.0.0"}) {
      Inet4Address v4 = (Inet4Address) InetAddress.getByName(a);
      assertEquals(Cidr.ipv4ToInt(v4.getAddress(), 0), Cidr.ipv4ToInt(v4), a);
      assertEquals(v4, Cidr.ipv4FromInt(Cidr.ipv4ToInt(v4)), a);
    }
    assertEquals(0xc0a80101, Cidr.ipv4ToInt((Inet4Address) InetAddress.getByName("192.168.1.1")));
  }

  @Test
  void ipv4EntryPointMatchesWithoutAllocatingAddresses() {
    Cidr cgnat = Cidr.parse("100.64.0.0/10");
    assertTrue(cgnat.containsIpv4(0x64400000));
    assertTrue(cgnat.containsIpv4(0x647fffff));
    assertFalse(cgnat.containsIpv4(0x643fffff));
    assertFalse(cgnat.containsIpv4(0x64800000));
    assertTrue(Cidr.parse("0.0.0.0/0").containsIpv4(0xffffffff));
    assertFalse(Cidr.parse("2001:db8::/32").containsIpv4(0x0a000001));
  }

  @Test
  void addressOfIpv6RangeStaysIpv6EvenWhenMapped() {
    assertTrue(Cidr.parse("::ffff:10.0.0.0/104").address() instanceof Inet6Address);
    assertTrue(Cidr.parse("10.0.0.0/8").address() instanceof Inet4Address);
  }
}
