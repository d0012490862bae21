/**
 * The hot path (RFC 8656 §11, §12): ChannelData and Send/Data indications re-framed in place,
 * without copying the payload, on the event loop that owns the allocation.
 */
package org.tafel.relay.forward;
