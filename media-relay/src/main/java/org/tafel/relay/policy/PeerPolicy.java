package org.tafel.relay.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tafel.protocol.net.Cidr;
import org.tafel.protocol.net.SpecialPurposeAddresses;

/**
 * The peer policy, checked at CreatePermission/ChannelBind (address) and per datagram (address and
 * port).
 */
public final class PeerPolicy {
  /** Why a peer is refused, or that it is not. */
  public enum Verdict {
    ALLOWED,
    NOT_GLOBALLY_REACHABLE,
    RELAY_HOST_PORT
  }

  private final List<Cidr> allowed;
  private final Set<InetAddress> ownAddresses;
  private final boolean[] protectedPorts = new boolean[65536];

  /**
   * @param allowed ranges opened by {@code --allow-peer}
   * @param ownAddresses addresses naming this host (see {@link #ownAddresses})
   * @param protectedPorts this host's service ports: STUN/TURN listeners, admin, signaling, blob
   *     store. Relayed traffic never reaches them, even where the address is allow-listed; the
   *     relay ports themselves stay reachable so two parties meet relay-to-relay.
   */
  public PeerPolicy(
      List<Cidr> allowed, Set<InetAddress> ownAddresses, Set<Integer> protectedPorts) {
    this.allowed = List.copyOf(allowed);
    this.ownAddresses = Set.copyOf(ownAddresses);
    for (int p : protectedPorts) {
      if (p > 0 && p < 65536) {
        this.protectedPorts[p] = true;
      }
    }
  }

  /**
   * The addresses of this host that a peer could name: the bind address, the advertised external
   * address, and when bound to a wildcard or loopback, every local interface address and loopback.
   */
  public static Set<InetAddress> ownAddresses(InetAddress bind, InetAddress external) {
    Set<InetAddress> own = new HashSet<>();
    own.add(bind);
    if (external != null) {
      own.add(external);
    }
    own.add(InetAddress.getLoopbackAddress());
    try {
      own.add(InetAddress.getByName("127.0.0.1"));
      own.add(InetAddress.getByName("::1"));
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        own.addAll(Collections.list(nif.getInetAddresses()));
      }
    } catch (SocketException | java.net.UnknownHostException e) {
      // Keep what we have: the bind and external addresses.
    }
    List<InetAddress> strip = new ArrayList<>();
    for (InetAddress a : own) {
      if (a instanceof Inet6Address v6 && v6.getScopeId() != 0) {
        strip.add(a);
      }
    }
    own.removeAll(strip);
    return own;
  }

  /** Adds a service port of this host, e.g. a listener port known only after binding. */
  public void protectPort(int port) {
    if (port > 0 && port < 65536) {
      protectedPorts[port] = true;
    }
  }

  /** The address check, for CreatePermission and ChannelBind. */
  public Verdict checkAddress(InetAddress peer) {
    if (peer instanceof Inet4Address v4) {
      return checkIpv4Address(Cidr.ipv4ToInt(v4));
    }
    InetAddress a = unscoped(peer);
    if (isAllowListed(a) || SpecialPurposeAddresses.isGloballyReachable(a)) {
      return Verdict.ALLOWED;
    }
    return Verdict.NOT_GLOBALLY_REACHABLE;
  }

  private Verdict checkIpv4Address(int ipv4) {
    for (int i = 0; i < allowed.size(); i++) {
      if (allowed.get(i).containsIpv4(ipv4)) {
        return Verdict.ALLOWED;
      }
    }
    return SpecialPurposeAddresses.isGloballyReachableIpv4(ipv4)
        ? Verdict.ALLOWED
        : Verdict.NOT_GLOBALLY_REACHABLE;
  }

  /**
   * {@link #check(InetAddress, int)} for an IPv4 peer given as an int ({@link Cidr#ipv4ToInt}), as
   * the per-datagram path has it: no address object is made unless the port is a protected one.
   */
  public Verdict checkIpv4(int ipv4, int port) {
    Verdict v = checkIpv4Address(ipv4);
    if (v != Verdict.ALLOWED) {
      return v;
    }
    if (protectedPorts[port & 0xffff] && isOwnAddress(Cidr.ipv4FromInt(ipv4))) {
      return Verdict.RELAY_HOST_PORT;
    }
    return Verdict.ALLOWED;
  }

  /** The address and port check, per datagram and at ChannelBind. */
  public Verdict check(InetAddress peer, int port) {
    if (peer instanceof Inet4Address v4) {
      return checkIpv4(Cidr.ipv4ToInt(v4), port);
    }
    Verdict v = checkAddress(peer);
    if (v != Verdict.ALLOWED) {
      return v;
    }
    if (protectedPorts[port & 0xffff] && isOwnAddress(peer)) {
      return Verdict.RELAY_HOST_PORT;
    }
    return Verdict.ALLOWED;
  }

  /** True when this address names this host. */
  public boolean isOwnAddress(InetAddress peer) {
    InetAddress a = unscoped(peer);
    if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
      return true;
    }
    return ownAddresses.contains(a);
  }

  private boolean isAllowListed(InetAddress a) {
    for (Cidr c : allowed) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static InetAddress unscoped(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      InetAddress embedded = SpecialPurposeAddresses.embeddedIpv4(v6);
      if (embedded instanceof Inet4Address && isMapped(v6)) {
        return embedded;
      }
    }
    return a;
  }

  private static boolean isMapped(Inet6Address a) {
    byte[] b = a.getAddress();
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
