/**
 * Which peers the relay talks to (RFC 8656 §21, DESIGN.md §5): the IANA special-purpose ranges are
 * refused unless allow-listed, and the relay's own host is reachable only on its relay ports.
 */
package org.tafel.relay.policy;
