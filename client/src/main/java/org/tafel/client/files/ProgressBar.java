package org.tafel.client.files;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A transfer's progress for people, on a {@link PrintStream} (the CLI's stderr): label, bar,
 * percentage, bytes done of total, average rate and time left —
 *
 * <pre>
 * send worksheet.pdf [##########..............]  41%  12.0 MiB / 29.3 MiB  4.1 MiB/s  0:04 left
 * </pre>
 *
 * On a terminal the line is redrawn in place ({@code \r}) at most every {@value #TTY_INTERVAL_MS}
 * ms; elsewhere (a log file, a pipe) a plain line is printed at most every {@value
 * #PLAIN_INTERVAL_MS} ms, so logs stay short. The first call and the end ({@code done == total})
 * are always shown, the end once, followed by a newline. Shown values never go backwards. Safe to
 * call from several threads.
 */
public final class ProgressBar implements ProgressListener {
  static final long TTY_INTERVAL_MS = 200;
  static final long PLAIN_INTERVAL_MS = 5000;
  private static final int WIDTH = 24;

  private final PrintStream out;
  private final String label;
  private final boolean tty;
  private final Clock clock;
  private Instant start;
  private Instant lastShown;
  private long shownDone = -1;
  private int lastLength;
  private boolean finished;

  /**
   * @param label what is transferred (a file name: keep it local, this is the user's screen)
   * @param tty redraw in place (a terminal) or print plain lines
   * @param clock measures the rate and throttles redraws
   */
  public ProgressBar(PrintStream out, String label, boolean tty, Clock clock) {
    this.out = Objects.requireNonNull(out, "out");
    this.label = label == null ? "" : label;
    this.tty = tty;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A bar on {@link System#err}, redrawn in place when the process has a console. */
  public static ProgressBar stderr(String label) {
    return new ProgressBar(System.err, label, System.console() != null, Clock.systemUTC());
  }

  @Override
  public synchronized void progress(long done, long total) {
    if (finished) {
      return;
    }
    Instant now = clock.instant();
    if (start == null) {
      start = now;
    }
    long d = Math.max(Math.max(0, Math.min(done, total)), shownDone);
    boolean end = d >= total;
    long interval = tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS;
    if (!end && lastShown != null && Duration.between(lastShown, now).toMillis() < interval) {
      return;
    }
    lastShown = now;
    shownDone = d;
    String line = line(d, total, Duration.between(start, now));
    if (tty) {
      int pad = Math.max(0, lastLength - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastLength = line.length();
      if (end) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
    finished = end;
  }

  private String line(long done, long total, Duration elapsed) {
    int percent = total <= 0 ? 100 : (int) (done * 100 / total);
    int filled = total <= 0 ? WIDTH : (int) (done * WIDTH / total);
    StringBuilder b = new StringBuilder();
    if (!label.isEmpty()) {
      b.append(label).append(' ');
    }
    b.append('[')
        .append("#".repeat(filled))
        .append(".".repeat(WIDTH - filled))
        .append("] ")
        .append(String.format(Locale.ROOT, "%3d%%", percent))
        .append("  ")
        .append(bytes(done))
        .append(" / ")
        .append(bytes(total));
    long ms = elapsed.toMillis();
    if (ms > 0 && done > 0) {
      double perSecond = done * 1000.0 / ms;
      b.append("  ").append(bytes((long) perSecond)).append("/s");
      if (done < total) {
        b.append("  ").append(clockTime((long) ((total - done) / perSecond))).append(" left");
      } else {
        b.append("  in ").append(clockTime(ms / 1000));
      }
    }
    return b.toString();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String clockTime(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
