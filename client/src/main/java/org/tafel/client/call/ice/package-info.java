/**
 * ICE (RFC 8445) through the Tafel relay with ice4j: relay-only, so the other party never learns a
 * client's own address. {@link org.tafel.client.call.ice.IceSession} is the façade; it switches
 * ice4j's mapping harvesters off before any ice4j class loads (the AWS one probes 169.254.169.254),
 * binds the allocation's base socket on the address that routes to the relay (loopback included,
 * which ice4j's own host harvester skips), and fails loudly when no relayed candidate was gathered
 * (ice4j only leaves it out). ice4j's TURN client speaks UDP only; see docs/client.md for what that
 * means behind firewalls that allow only TCP/443.
 */
package org.tafel.client.call.ice;
