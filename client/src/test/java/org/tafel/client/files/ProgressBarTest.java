package org.tafel.client.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tafel.client.testing.ManualClock;

class ProgressBarTest {
  private static final Pattern PERCENT = Pattern.compile("\\] +(\\d+)%");
  private static final long TOTAL = 30L * 1024 * 1024;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-09-01T08:00:00Z"));
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** 3 MiB/s for ten seconds, reported every 50 ms, with a resume that repeats 2 MiB. */
  private void transfer(ProgressBar bar) {
    long done = 0;
    bar.progress(0, TOTAL);
    while (done < TOTAL) {
      clock.advance(Duration.ofMillis(50));
      done = Math.min(TOTAL, done + 3L * 1024 * 1024 / 20);
      if (done > 12L * 1024 * 1024 && done < 13L * 1024 * 1024) {
        bar.progress(done - 2L * 1024 * 1024, TOTAL);
      }
      bar.progress(done, TOTAL);
    }
    bar.progress(TOTAL, TOTAL);
  }

  private static List<Integer> percentages(String text) {
    List<Integer> p = new ArrayList<>();
    Matcher m = PERCENT.matcher(text);
    while (m.find()) {
      p.add(Integer.parseInt(m.group(1)));
    }
    return p;
  }

  @Test
  void onATerminalRedrawsInPlaceMonotonicallyThrottledAndEndsAtOneHundredPercent() {
    transfer(new ProgressBar(out, "send Arbeitsblatt.pdf", true, clock));
    String text = bytes.toString(StandardCharsets.UTF_8);
    List<Integer> p = percentages(text);
    for (int i = 1; i < p.size(); i++) {
      assertTrue(p.get(i) >= p.get(i - 1), "monotonic: " + p);
    }
    assertEquals(100, p.get(p.size() - 1));
    assertEquals(1, p.stream().filter(x -> x == 100).count(), "the end once");
    // ten seconds at one redraw per 200 ms: about 50, not one per call (200)
    assertTrue(p.size() >= 45 && p.size() <= 55, p.size() + " redraws");
    assertTrue(text.startsWith("\rsend Arbeitsblatt.pdf [........................]   0%"), text);
    assertTrue(text.endsWith("\n"), text);
    assertTrue(
        text.stripTrailing().endsWith("100%  30.0 MiB / 30.0 MiB  3.0 MiB/s  in 0:10"), text);
    assertEquals(1, text.split("\n", -1).length - 1, "one newline, at the end");
    assertTrue(text.contains("  3.0 MiB/s  0:0"), "rate and time left: " + text);
  }

  @Test
  void elsewherePrintsFewPlainLines() {
    transfer(new ProgressBar(out, "", false, clock));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(!text.contains("\r"), text);
    List<Integer> p = percentages(text);
    // the start, every 5 s (49.99 % at 5 s, 99.99 % at 10 s), and the end
    assertEquals(List.of(0, 49, 99, 100), p);
    assertEquals(4, text.lines().count());
  }

  @Test
  void anEmptyTransferIsAtOneHundredPercentAtOnce() {
    new ProgressBar(out, "x", false, clock).progress(0, 0);
    assertEquals(List.of(100), percentages(bytes.toString(StandardCharsets.UTF_8)));
  }

  @Test
  void formatsBytesInBinaryUnits() {
    assertEquals("999 B", ProgressBar.bytes(999));
    assertEquals("1.5 KiB", ProgressBar.bytes(1536));
    assertEquals("100.0 MiB", ProgressBar.bytes(100L << 20));
  }
}
