/**
 * The file blob store (DESIGN.md §6): client-encrypted files streamed to storage over HTTP/1.1,
 * served with Range and ETag until they expire, with tus 1.0 resumable uploads. {@link
 * org.tafel.blob.BlobServer}, built from one {@link org.tafel.blob.BlobConfig}, is the façade; the
 * sub-packages hold one concept each: {@code http} (requests, streaming, CORS), {@code tus}
 * (resumable uploads), {@code storage} (durable bytes and metadata), {@code expiry} (lifetimes and
 * the sweeper), {@code tokens} (upload tokens, quotas, delete tokens).
 */
package org.tafel.blob;
