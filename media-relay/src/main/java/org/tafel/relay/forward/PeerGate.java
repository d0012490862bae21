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
      metrics.drop(DropReason.NO_PERMISSION);
      return false;
    }
    if (policy.check(peer.getAddress(), peer.getPort()) != PeerPolicy.Verdict.ALLOWED) {
      metrics.deniedPeers.increment();
      metrics.drop(DropReason.PEER_POLICY);
      return false;
    }
    return true;
  }
}
