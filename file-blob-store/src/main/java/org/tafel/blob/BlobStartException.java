package org.tafel.blob;

/** The blob store could not start; the message names the key or file at fault. */
public final class BlobStartException extends Exception {
  public BlobStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
