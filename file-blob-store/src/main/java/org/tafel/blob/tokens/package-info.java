/**
 * Who may upload and how much (DESIGN.md §4, §6): {@code ut1} upload tokens verified statelessly
 * with {@link org.tafel.protocol.token.UploadTokens}, per-pseudonym quotas (bytes held, uploads per
 * minute), and delete tokens, of which only a SHA-256 hash is stored.
 */
package org.tafel.blob.tokens;
