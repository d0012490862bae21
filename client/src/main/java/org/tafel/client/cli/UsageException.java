package org.tafel.client.cli;

/** A bad command line; the message says what was expected. Exit code 2. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
