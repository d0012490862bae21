/**
 * Lifetimes (DESIGN.md §6 expiry): the expiry and download count an upload asks for ({@code
 * Tafel-Expires-In}, {@code Tafel-Downloads}, or the same keys in tus {@code Upload-Metadata}), and
 * the {@link org.tafel.blob.expiry.Sweeper} that reclaims expired blobs, abandoned tus uploads and
 * stale temporary files on an injected clock and executor. Reads check expiry themselves; the
 * sweeper only frees the space.
 */
package org.tafel.blob.expiry;
