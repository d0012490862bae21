package org.tafel.blob.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * CORS (Fetch standard) for browser clients. Requests carry bearer tokens, never cookies, so any
 * origin may call: {@code Access-Control-Allow-Origin: *} without credentials. Every response
 * exposes the tus and Tafel headers a client reads.
 */
public final class Cors {
  public static final String EXPOSE =
      "Location, Upload-Offset, Upload-Length, Upload-Expires, Upload-Metadata, Tus-Resumable,"
          + " Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm, Tafel-Blob-Id,"
          + " Tafel-Delete-Token, Tafel-Expires-At, Content-Range, Accept-Ranges, ETag, Content-Length, Retry-After";
  public static final String ALLOW_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS";
  public static final String ALLOW_HEADERS =
      "Authorization, Content-Type, Range, If-None-Match, If-Range, Tus-Resumable,"
          + " Upload-Length, Upload-Offset, Upload-Metadata, Upload-Checksum, Upload-Defer-Length,"
          + " Upload-Concat, Tafel-Expires-In, Tafel-Downloads, X-HTTP-Method-Override,"
          + " X-Requested-With";

  private Cors() {}

  /** Adds the headers every response carries. */
  public static void decorate(HttpHeaders headers) {
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    headers.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE);
  }

  /** True for a preflight: OPTIONS with Origin and Access-Control-Request-Method. */
  public static boolean isPreflight(HttpRequest request) {
    return request.method().name().equals("OPTIONS")
        && request.headers().contains(HttpHeaderNames.ORIGIN)
        && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
  }

  /** The preflight answer's headers (cached by the browser for a day). */
  public static void preflight(HttpHeaders headers) {
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
  }
}
