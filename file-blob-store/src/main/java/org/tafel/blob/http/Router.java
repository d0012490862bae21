package org.tafel.blob.http;

/** Decides what a request means; one implementation per service (blobs and tus share a port). */
public interface Router {
  /**
   * Handles the request head: replies at once, or starts an asynchronous reply, or returns a
   * receiver for the body. Returns null when no body is wanted (any body is then discarded, or the
   * connection closed if a reply went out before it was read).
   */
  BodyReceiver route(Exchange exchange);
}
