package org.tafel.client.call.ice;

/**
 * No relayed candidate was gathered: the TURN credentials were refused (wrong or expired), or the
 * relay did not answer over UDP. ice4j reports neither; {@link IceSession} checks.
 */
public final class RelayUnavailableException extends Exception {
  public RelayUnavailableException(String message) {
    super(message);
  }
}
