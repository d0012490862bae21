/**
 * Every operation that touches a key, and the only package that does: NaCl {@code crypto_box}
 * (X25519, HSalsa20, XSalsa20-Poly1305), {@code crypto_secretbox} and {@code crypto_box_seal} on
 * Bouncy Castle, byte-compatible with libsodium's {@code *_easy} layout (16-byte Poly1305 tag, then
 * ciphertext); the sealed message plaintext with its replay checks (DESIGN.md §4); contact and
 * server key pinning with fingerprints and the on-disk {@link org.tafel.client.crypto.Profile}
 * (DESIGN.md §3); chunked file encryption (DESIGN.md §6). Formats: {@code docs/client.md}.
 */
package org.tafel.client.crypto;
