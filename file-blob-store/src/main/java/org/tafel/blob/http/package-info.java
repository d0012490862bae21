/**
 * HTTP/1.1 (RFC 9110, RFC 9112) on Netty for the blob API of DESIGN.md §6: request bodies are
 * streamed to storage off the event loop with backpressure (reading stops while writes are behind),
 * never aggregated; {@code GET}/{@code HEAD} with {@code Range} (RFC 9110 §14) and {@code ETag}
 * (§8.8.3); CORS for browser clients.
 */
package org.tafel.blob.http;
