/** Limits of RFC 8656 §7.2 (486 per user, 508 in total) and per-allocation bandwidth. */
package org.tafel.relay.quota;
