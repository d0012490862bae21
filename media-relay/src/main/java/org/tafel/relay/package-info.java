/**
 * The media relay: a STUN (RFC 8489) and TURN (RFC 8656) server that forwards SRTP it cannot
 * decrypt. {@link org.tafel.relay.RelayServer} built from one {@link org.tafel.relay.RelayConfig}
 * is the façade; the sub-packages hold one protocol concept each.
 */
package org.tafel.relay;
