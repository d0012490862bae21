/**
 * Contact discovery (DESIGN.md §1; docs/protocol.md "Discovery"): identities that opt in publish
 * the HMAC-SHA256 hashes of their own normalised e-mail addresses or phone numbers ({@link
 * org.tafel.protocol.signaling.ContactDiscovery}); probes are matched against them in memory and
 * dropped, never stored or logged. Each identity has a daily budget of new probes, counted with
 * salted 64-bit digests held in memory for the current UTC day only.
 */
package org.tafel.signaling.discovery;
