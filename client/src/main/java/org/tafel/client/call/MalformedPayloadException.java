package org.tafel.client.call;

/** A call payload that is not valid JSON of its type, with the field and what was expected. */
public final class MalformedPayloadException extends Exception {
  public MalformedPayloadException(String message) {
    super(message);
  }
}
