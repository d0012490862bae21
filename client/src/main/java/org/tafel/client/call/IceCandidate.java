package org.tafel.client.call;

import java.util.Set;

/**
 * One ICE candidate (RFC 8445 §5.1) as the call payloads carry it. The address is an IP literal
 * (never a name, so a payload cannot make the receiver resolve anything); the related address of a
 * relayed candidate is never sent, since it would reveal the sender's own address to the peer.
 */
public record IceCandidate(
    String foundation,
    int component,
    String transport,
    long priority,
    String address,
    int port,
    String type) {
  private static final Set<String> TYPES = Set.of("host", "srflx", "prflx", "relay");

  public IceCandidate {
    CallPayloads.require(
        foundation != null && foundation.matches("[A-Za-z0-9+/]{1,32}"),
        "candidate.foundation: expected 1..32 ice-chars");
    CallPayloads.require(
        component >= 1 && component <= 256, "candidate.component: expected 1..256");
    CallPayloads.require("udp".equals(transport), "candidate.transport: expected udp");
    CallPayloads.require(
        priority >= 1 && priority <= 0xffffffffL, "candidate.priority: expected 1..2^32-1");
    CallPayloads.require(
        address != null
            && address.length() <= 45
            && (address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
                || address.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")),
        "candidate.address: expected an IPv4 or IPv6 literal");
    CallPayloads.require(port >= 1 && port <= 65535, "candidate.port: expected 1..65535");
    CallPayloads.require(
        TYPES.contains(type), "candidate.type: expected host, srflx, prflx or relay");
  }
}
