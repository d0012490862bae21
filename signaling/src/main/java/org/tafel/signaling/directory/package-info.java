/**
 * Identities (DESIGN.md §3): registration of a random 8-character ID bound to an X25519 key, in
 * licence-code mode or open mode with a proof-of-work, with a generous per-address limit (a whole
 * school sits behind one NAT address; addresses are held in memory only, never logged).
 */
package org.tafel.signaling.directory;
