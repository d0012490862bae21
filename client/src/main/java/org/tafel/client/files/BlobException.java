package org.tafel.client.files;

/**
 * The blob store refused a request: {@link #status()} is its HTTP status (401 bad or expired upload
 * token, 404 unknown, expired or used-up blob or upload, 413 too large, 429 rate limited, 507
 * quota, or a 5xx that persisted through every retry), and the message carries the server's reason.
 */
public final class BlobException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  public BlobException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
