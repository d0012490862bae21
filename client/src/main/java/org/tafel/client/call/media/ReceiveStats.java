package org.tafel.client.call.media;

import org.tafel.client.call.MediaKind;
import org.tafel.client.call.rtp.RtcpReport;
import org.tafel.client.call.rtp.RtpHeader;

/**
 * What a receiver knows about one incoming stream (RFC 3550 A.1, A.3, A.8): extended highest
 * sequence number, packets received, expected and lost, interarrival jitter, and the last Sender
 * Report from that source for LSR/DLSR.
 */
final class ReceiveStats {
  final int ssrc;
  final MediaKind kind;
  private long baseSeq = -1;
  private long maxExtended;
  private long received;
  private double jitter;
  private long lastTransit;
  private boolean haveTransit;
  private long expectedPrior;
  private long receivedPrior;
  private long lastSrMiddle;
  private long lastSrArrivalNanos;

  ReceiveStats(int ssrc, MediaKind kind) {
    this.ssrc = ssrc;
    this.kind = kind;
  }

  /** One authenticated packet; {@code arrivalNanos} from a monotonic clock. */
  synchronized void onPacket(byte[] rtp, long arrivalNanos) {
    int seq = RtpHeader.sequence(rtp);
    if (baseSeq < 0) {
      baseSeq = seq;
      maxExtended = seq;
    } else {
      long cycles = maxExtended & ~0xffffL;
      long candidate = cycles | seq;
      // Pick the extension closest to the highest seen (handles wrap both ways).
      if (candidate < maxExtended - 0x8000) {
        candidate += 0x10000;
      } else if (candidate > maxExtended + 0x8000) {
        candidate -= 0x10000;
      }
      if (candidate > maxExtended) {
        maxExtended = candidate;
      }
    }
    received++;
    long arrivalUnits = arrivalNanos / 1000 * kind.clockRate() / 1_000_000;
    long transit = arrivalUnits - RtpHeader.timestamp(rtp);
    if (haveTransit) {
      // RTP timestamps wrap at 2^32: take the difference as a signed 32-bit value.
      long d = Math.abs((long) (int) (transit - lastTransit));
      jitter += (d - jitter) / 16.0;
    }
    lastTransit = transit;
    haveTransit = true;
  }

  synchronized void onSenderReport(long ntpTimestamp, long arrivalNanos) {
    lastSrMiddle = RtcpReport.middle32(ntpTimestamp);
    lastSrArrivalNanos = arrivalNanos;
  }

  synchronized long received() {
    return received;
  }

  synchronized long expected() {
    return baseSeq < 0 ? 0 : maxExtended - baseSeq + 1;
  }

  synchronized long lost() {
    return Math.max(0, expected() - received);
  }

  synchronized double jitterMillis() {
    return jitter * 1000.0 / kind.clockRate();
  }

  /** A report block for an RTCP report sent now (updates the interval counters, A.3). */
  synchronized RtcpReport.Block block(long nowNanos) {
    long expected = expected();
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = received - receivedPrior;
    expectedPrior = expected;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction =
        expectedInterval <= 0 || lostInterval <= 0
            ? 0
            : (int) ((lostInterval << 8) / expectedInterval);
    long dlsr = lastSrMiddle == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
    return new RtcpReport.Block(
        ssrc,
        Math.min(255, fraction),
        (int) Math.min(lost(), 0x7fffff),
        maxExtended & 0xffffffffL,
        (long) jitter,
        lastSrMiddle,
        dlsr & 0xffffffffL);
  }
}
