package org.tafel.relay.forward;

import java.net.InetSocketAddress;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.policy.PeerPolicy;

/**
 * The per-datagram checks both directions share: an unexpired permission for the peer's address
 * (RFC 8656 §9) and the peer policy with its port rule (DESIGN.md §5). Counts what it refuses.
 */
final class PeerGate {
  private PeerGate() {}

  static boolean admits(
      Allocation a,
      InetSocketAddress peer,
      long nowMillis,
      PeerPolicy policy,
      RelayMetrics metrics) {
    if (!a.hasPermission(peer.getAddress(), nowMillis)) {
      return noPermission(metrics);
    }
    return allowed(policy.check(peer.getAddress(), peer.getPort()), metrics);
  }

  /** The same checks for a channel's peer, from what the binding holds. */
  static boolean admits(
      Allocation a,
      Allocation.ChannelBinding b,
      long nowMillis,
      PeerPolicy policy,
      RelayMetrics metrics) {
    if (!a.permits(b, nowMillis)) {
      return noPermission(metrics);
    }
    return allowed(
        b.isIpv4 ? policy.checkIpv4(b.ipv4, b.port) : policy.check(b.peer.getAddress(), b.port),
        metrics);
  }

  /** Counts a datagram whose peer has no live permission; false. */
  static boolean noPermission(RelayMetrics metrics) {
    metrics.drop(DropReason.NO_PERMISSION);
    return false;
  }

  /** True for {@code ALLOWED}; otherwise counts the refusal. */
  static boolean allowed(PeerPolicy.Verdict verdict, RelayMetrics metrics) {
    if (verdict != PeerPolicy.Verdict.ALLOWED) {
      metrics.deniedPeers.increment();
      metrics.drop(DropReason.PEER_POLICY);
      return false;
    }
    return true;
  }
}
