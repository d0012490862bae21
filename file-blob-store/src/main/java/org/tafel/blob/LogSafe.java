package org.tafel.blob;

import java.util.regex.Pattern;

/**
 * Text for log lines with blob and upload IDs blanked out: an I/O exception's message usually names
 * the file, and file names are IDs (read capabilities), which logs never carry.
 */
public final class LogSafe {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

  private LogSafe() {}

  public static String of(Throwable t) {
    return ID.matcher(String.valueOf(t)).replaceAll("<id>");
  }

  public static String of(String s) {
    return ID.matcher(String.valueOf(s)).replaceAll("<id>");
  }
}
