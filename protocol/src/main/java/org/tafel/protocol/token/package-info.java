/**
 * Formats shared by several services (DESIGN.md §4): the {@code ut1} upload token that signaling
 * issues and the blob store verifies statelessly, keyed per-service pseudonyms, and the key ring
 * ({@link org.tafel.protocol.token.KeyRing}) that lets a key be rotated: sign with the newest,
 * accept all listed.
 */
package org.tafel.protocol.token;
