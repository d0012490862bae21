package org.tafel.relay;

import java.util.function.IntSupplier;
import org.tafel.protocol.metrics.Counter;
import org.tafel.protocol.metrics.MetricsRegistry;

/** The relay's counters. Labels come from fixed sets; no identifier or address is ever a label. */
public final class RelayMetrics {
  /** Why a packet was dropped; each reason is one label value. */
  public enum DropReason {
    MALFORMED("malformed"),
    UNKNOWN_KIND("unknown_kind"),
    NO_ALLOCATION("no_allocation"),
    UNBOUND_CHANNEL("unbound_channel"),
    NO_PERMISSION("no_permission"),
    PEER_POLICY("peer_policy"),
    BANDWIDTH("bandwidth"),
    OVERSIZE("oversize"),
    UNEXPECTED_MESSAGE("unexpected_message"),
    /** The client's listener or connection was over its write high mark. */
    WRITE_BACKLOG("write_backlog"),
    /** The allocation's relay socket was over its write high mark. */
    RELAY_BACKLOG("relay_backlog");

    final String label;

    DropReason(String label) {
      this.label = label;
    }
  }

  public final Counter packetsClientToPeer;
  public final Counter packetsPeerToClient;
  public final Counter bytesClientToPeer;
  public final Counter bytesPeerToClient;
  public final Counter authFailures;
  public final Counter staleNonces;
  public final Counter deniedPeers;
  public final Counter allocationsCreated;
  public final Counter allocationsExpired;
  public final Counter payloadCopies;
  private final Counter[] drops = new Counter[DropReason.values().length];
  private final MetricsRegistry registry;

  public RelayMetrics(MetricsRegistry registry) {
    this.registry = registry;
    packetsClientToPeer =
        registry.counter(
            "tafel_relay_packets_total", "Datagrams relayed.", "direction", "client_to_peer");
    packetsPeerToClient =
        registry.counter(
            "tafel_relay_packets_total", "Datagrams relayed.", "direction", "peer_to_client");
    bytesClientToPeer =
        registry.counter(
            "tafel_relay_bytes_total", "Payload bytes relayed.", "direction", "client_to_peer");
    bytesPeerToClient =
        registry.counter(
            "tafel_relay_bytes_total", "Payload bytes relayed.", "direction", "peer_to_client");
    authFailures =
        registry.counter(
            "tafel_relay_auth_failures_total",
            "Requests refused for bad or missing credentials (401).");
    staleNonces =
        registry.counter("tafel_relay_stale_nonces_total", "Requests answered 438 Stale Nonce.");
    deniedPeers =
        registry.counter(
            "tafel_relay_denied_peers_total",
            "Permissions, channel binds and datagrams refused by the peer policy.");
    allocationsCreated =
        registry.counter("tafel_relay_allocations_created_total", "Allocations created.");
    allocationsExpired =
        registry.counter(
            "tafel_relay_allocations_expired_total", "Allocations that ran out of lifetime.");
    payloadCopies =
        registry.counter(
            "tafel_relay_payload_copies_total",
            "Relayed datagrams that had to be copied for lack of headroom (should stay 0).");
    for (DropReason r : DropReason.values()) {
      drops[r.ordinal()] =
          registry.counter(
              "tafel_relay_dropped_packets_total",
              "Datagrams dropped, by reason.",
              "reason",
              r.label);
    }
  }

  public void drop(DropReason reason) {
    drops[reason.ordinal()].increment();
  }

  public long drops(DropReason reason) {
    return drops[reason.ordinal()].get();
  }

  /** Counts responses by error code; the code is a fixed small set. */
  public void errorResponse(int code) {
    registry
        .counter(
            "tafel_relay_error_responses_total",
            "STUN error responses sent, by code.",
            "code",
            Integer.toString(code))
        .increment();
  }

  void gauges(IntSupplier activeAllocations) {
    registry.gauge(
        "tafel_relay_allocations_active", "Live allocations.", activeAllocations::getAsInt);
  }
}
