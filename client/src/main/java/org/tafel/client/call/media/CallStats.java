package org.tafel.client.call.media;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.tafel.client.call.MediaKind;

/**
 * What one side measured over a call ({@code duration}: from start until sending stopped): its sent
 * streams, the streams it received (loss and jitter per RFC 3550), packets refused by SRTP, and
 * round-trip times from SRTCP reports.
 */
public record CallStats(
    Duration duration,
    List<Sent> sent,
    List<Received> received,
    long authFailures,
    long replays,
    long invalid,
    Rtt rtt) {

  public record Sent(MediaKind kind, long ssrc, long packets, long bytes, int largestPacket) {}

  public record Received(
      MediaKind kind, long ssrc, long packets, long expected, long lost, double jitterMillis) {}

  /** Round-trip samples from LSR/DLSR; zero samples means none came back. */
  public record Rtt(int samples, double minMillis, double avgMillis, double maxMillis) {}

  public CallStats {
    sent = List.copyOf(sent);
    received = List.copyOf(received);
  }

  public long receivedPackets(MediaKind kind) {
    return received.stream().filter(r -> r.kind() == kind).mapToLong(Received::packets).sum();
  }

  public long sentPackets(MediaKind kind) {
    return sent.stream().filter(s -> s.kind() == kind).mapToLong(Sent::packets).sum();
  }

  /** Human-readable lines, one per stream, then SRTP refusals and the round-trip time. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "call: %.1f s%n", duration.toMillis() / 1000.0));
    for (Sent s : sent) {
      sb.append(
          String.format(
              Locale.ROOT,
              "sent     %-5s %6d packets %9d bytes (largest %d B)%n",
              s.kind().wireName(),
              s.packets(),
              s.bytes(),
              s.largestPacket()));
    }
    for (Received r : received) {
      sb.append(
          String.format(
              Locale.ROOT,
              "received %-5s %6d packets, lost %d of %d, jitter %.2f ms%n",
              r.kind().wireName(),
              r.packets(),
              r.lost(),
              r.expected(),
              r.jitterMillis()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "srtp refused: %d failed authentication, %d replayed, %d malformed%n",
            authFailures,
            replays,
            invalid));
    if (rtt.samples() == 0) {
      sb.append("rtt: no samples\n");
    } else {
      sb.append(
          String.format(
              Locale.ROOT,
              "rtt: %.2f ms avg (min %.2f, max %.2f, %d samples)%n",
              rtt.avgMillis(),
              rtt.minMillis(),
              rtt.maxMillis(),
              rtt.samples()));
    }
    return sb.toString();
  }
}
