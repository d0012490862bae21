package org.tafel.client.cli;

/** The CLI's exit codes (scripts depend on them). */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;
  public static final int UNKNOWN_ID = 4;
  public static final int NOT_ANSWERED = 5;
  public static final int TIMEOUT = 6;
  public static final int KEY_CHANGED = 7;

  private ExitCode() {}
}
