/**
 * Allocation state (RFC 8656 §2.2, §9, §12): the relayed transport address, permissions, channel
 * bindings and lifetimes. An allocation lives on the event loop of the listener that owns its
 * client; only that thread touches it.
 */
package org.tafel.relay.allocation;
