package org.tafel.client.call;

/**
 * A payload that does not fit the call it claims to belong to (wrong call ID, unoffered profile).
 */
public final class CallSetupException extends Exception {
  public CallSetupException(String message) {
    super(message);
  }
}
