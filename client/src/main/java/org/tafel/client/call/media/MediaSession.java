package org.tafel.client.call.media;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.rtp.RtcpReport;
import org.tafel.client.call.rtp.RtpHeader;
import org.tafel.client.call.srtp.SrtpMasterKey;
import org.tafel.client.call.srtp.SrtpStatus;
import org.tafel.client.call.srtp.SrtpTransformer;

/**
 * One side's media for a connected call: a sending thread paces synthetic audio and video, protects
 * every packet with SRTP and sends an SRTCP Sender Report each second; a receiving thread
 * unprotects every datagram, counts what SRTP refuses, feeds loss/jitter statistics, and takes
 * round-trip samples from the report blocks the other side returns about our streams.
 *
 * <p>{@link #start()}, then {@link #stop()} returns the {@link CallStats}.
 */
public final class MediaSession {
  private static final int RTCP_INTERVAL_MILLIS = 1000;
  private static final int RECEIVE_POLL_MILLIS = 50;
  private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** NTP seconds at the UNIX epoch (RFC 5905). */
  private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

  /** Keys, media kinds and the payload marker of one session. */
  public record Config(
      SrtpMasterKey sendKey, SrtpMasterKey receiveKey, Set<MediaKind> kinds, byte[] marker) {
    public Config {
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException("kinds: empty (expected: audio, video or both)");
      }
      kinds = Set.copyOf(kinds);
      marker = marker.clone();
    }
  }

  private final MediaTransport transport;
  private final Config config;
  private final List<SyntheticMedia> sources = new ArrayList<>();
  private final Map<Integer, long[]> sentCounts = new ConcurrentHashMap<>();
  private final Map<Integer, ReceiveStats> incoming = new ConcurrentHashMap<>();
  private final List<Double> rttMillis = new CopyOnWriteArrayList<>();
  private final AtomicLong authFailures = new AtomicLong();
  private final AtomicLong replays = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final long startWallMillis;
  private volatile boolean running;
  private volatile boolean sending;
  private volatile IOException sendFailure;
  private final SrtpTransformer sendSrtp;
  private final SrtpTransformer receiveSrtp;
  private Thread sender;
  private Thread receiver;
  private long startedNanos;
  private volatile long sendingStoppedNanos;

  public MediaSession(MediaTransport transport, Config config, Clock clock, SecureRandom random) {
    this.transport = transport;
    this.config = config;
    this.startWallMillis = clock.millis();
    int tag = config.sendKey().profile().tagLength();
    for (MediaKind k : EnumSet.copyOf(config.kinds())) {
      int ssrc = random.nextInt();
      sources.add(new SyntheticMedia(k, ssrc, config.marker(), tag, random.nextLong()));
      sentCounts.put(ssrc, new long[3]);
    }
    this.sendSrtp = SrtpTransformer.sender(config.sendKey());
    this.receiveSrtp = SrtpTransformer.receiver(config.receiveKey());
    sources.forEach(s -> sendSrtp.prepare(s.ssrc()));
  }

  public synchronized void start() {
    if (running) {
      throw new IllegalStateException("already started");
    }
    running = true;
    sending = true;
    startedNanos = System.nanoTime();
    receiver = new Thread(this::receiveLoop, "tafel-media-receive");
    sender = new Thread(this::sendLoop, "tafel-media-send");
    receiver.setDaemon(true);
    sender.setDaemon(true);
    receiver.start();
    sender.start();
  }

  /**
   * Stops sending, keeps receiving for {@code drain} so packets in flight still count, stops, and
   * returns the statistics.
   *
   * @throws IOException if the transport failed while sending
   */
  public CallStats stop(Duration drain) throws InterruptedException, IOException {
    stopSending();
    Thread.sleep(drain.toMillis());
    running = false;
    if (receiver != null) {
      receiver.join(5_000);
    }
    if (sendFailure != null) {
      throw new IOException("sending media failed: " + sendFailure.getMessage(), sendFailure);
    }
    return stats();
  }

  /** Stops sending (hangup) but keeps receiving until {@link #stop}. */
  public synchronized void stopSending() throws InterruptedException {
    if (!sending) {
      return;
    }
    sending = false;
    if (sender != null) {
      sender.join(5_000);
    }
    sendingStoppedNanos = System.nanoTime();
  }

  private void sendLoop() {
    byte[] buf = new byte[SyntheticMedia.MAX_PACKET + 64];
    long t0 = System.nanoTime();
    long[] next = new long[sources.size()];
    long[] interval = new long[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      next[i] = t0;
      interval[i] =
          TimeUnit.MICROSECONDS.toNanos(
              sources.get(i).kind() == MediaKind.AUDIO
                  ? SyntheticMedia.AUDIO_INTERVAL_MICROS
                  : SyntheticMedia.VIDEO_INTERVAL_MICROS);
    }
    long nextRtcp = t0 + TimeUnit.MILLISECONDS.toNanos(RTCP_INTERVAL_MILLIS / 2);
    SrtpTransformer srtp = sendSrtp;
    try {
      while (sending) {
        long now = System.nanoTime();
        long wake = nextRtcp;
        for (int i = 0; i < sources.size(); i++) {
          if (now - next[i] >= 0) {
            sendFrame(srtp, sources.get(i), buf);
            next[i] += interval[i];
            if (now - next[i] > MAX_LAG_NANOS) {
              // Stalled (a GC pause, a busy machine): a live source drops what it missed rather
              // than sending it in a burst.
              next[i] = now + interval[i];
            }
          }
          wake = Math.min(wake, next[i]);
        }
        if (now - nextRtcp >= 0) {
          sendReport(srtp, buf);
          nextRtcp += TimeUnit.MILLISECONDS.toNanos(RTCP_INTERVAL_MILLIS);
        }
        long sleep = wake - System.nanoTime();
        if (sleep > 0) {
          LockSupport.parkNanos(sleep);
        }
      }
    } catch (IOException e) {
      if (sending) {
        sendFailure = e;
      }
    } finally {
      srtp.close();
    }
  }

  private void sendFrame(SrtpTransformer srtp, SyntheticMedia source, byte[] buf)
      throws IOException {
    int[] sizes = source.nextFrame();
    long[] counts = sentCounts.get(source.ssrc());
    for (int i = 0; i < sizes.length; i++) {
      int len = source.writePacket(buf, sizes[i], i == sizes.length - 1);
      int n = srtp.protectRtp(buf, len);
      transport.send(buf, 0, n);
      synchronized (counts) {
        counts[0]++;
        counts[1] += n;
        counts[2] = Math.max(counts[2], n);
      }
    }
  }

  private void sendReport(SrtpTransformer srtp, byte[] buf) throws IOException {
    SyntheticMedia first = sources.get(0);
    long[] counts = sentCounts.get(first.ssrc());
    long packets;
    long octets;
    synchronized (counts) {
      packets = counts[0];
      octets = counts[1];
    }
    long now = System.nanoTime();
    List<RtcpReport.Block> blocks = new ArrayList<>();
    for (ReceiveStats r : incoming.values()) {
      if (blocks.size() < 31) {
        blocks.add(r.block(now - startNanos));
      }
    }
    RtcpReport sr =
        new RtcpReport(
            first.ssrc(), true, ntpNow(now), first.rtpTimestamp(), packets, octets, blocks);
    int len = sr.write(buf);
    int n = srtp.protectRtcp(buf, len);
    transport.send(buf, 0, n);
  }

  private void receiveLoop() {
    byte[] buf = new byte[2048];
    SrtpTransformer srtp = receiveSrtp;
    try {
      while (running) {
        int len;
        try {
          len = transport.receive(buf, RECEIVE_POLL_MILLIS);
        } catch (IOException e) {
          if (!running) {
            return;
          }
          invalid.incrementAndGet();
          continue;
        }
        if (len < 0) {
          continue;
        }
        long arrival = System.nanoTime();
        if (RtpHeader.isRtcp(buf, len)) {
          SrtpTransformer.Result r = srtp.unprotectRtcp(buf, len);
          if (count(r.status())) {
            onReport(RtcpReport.parse(buf, r.length()), arrival);
          }
        } else if (RtpHeader.isRtp(buf, len)) {
          SrtpTransformer.Result r = srtp.unprotectRtp(buf, len);
          if (count(r.status())) {
            onMedia(buf, arrival);
          }
        } else {
          invalid.incrementAndGet();
        }
      }
    } finally {
      srtp.close();
    }
  }

  private boolean count(SrtpStatus s) {
    switch (s) {
      case OK:
        return true;
      case AUTH_FAIL:
        authFailures.incrementAndGet();
        return false;
      case REPLAY:
        replays.incrementAndGet();
        return false;
      default:
        invalid.incrementAndGet();
        return false;
    }
  }

  private void onMedia(byte[] rtp, long arrival) {
    MediaKind kind = MediaKind.ofPayloadType(RtpHeader.payloadType(rtp));
    if (kind == null) {
      invalid.incrementAndGet();
      return;
    }
    int ssrc = RtpHeader.ssrc(rtp);
    ReceiveStats s = incoming.computeIfAbsent(ssrc, k -> new ReceiveStats(k, kind));
    s.onPacket(rtp, arrival - startNanos);
  }

  private void onReport(RtcpReport report, long arrival) {
    if (report == null) {
      invalid.incrementAndGet();
      return;
    }
    if (report.senderReport()) {
      ReceiveStats s = incoming.get(report.ssrc());
      if (s != null) {
        s.onSenderReport(report.ntpTimestamp(), arrival - startNanos);
      }
    }
    long nowMiddle = RtcpReport.middle32(ntpNow(arrival));
    for (RtcpReport.Block b : report.blocks()) {
      if (b.lastSr() != 0 && sentCounts.containsKey(b.ssrc())) {
        long units = (nowMiddle - b.lastSr() - b.delaySinceLastSr()) & 0xffffffffL;
        double millis = units * 1000.0 / 65536.0;
        if (millis < 60_000) {
          rttMillis.add(millis);
        }
      }
    }
  }

  /** NTP time (RFC 3550 §4): the wall clock at start plus monotonic time since. */
  private long ntpNow(long nanos) {
    long sinceEpoch = startWallMillis * 1_000_000L + (nanos - startNanos);
    long seconds = Math.floorDiv(sinceEpoch, 1_000_000_000L) + NTP_EPOCH_OFFSET;
    long fraction = (Math.floorMod(sinceEpoch, 1_000_000_000L) << 32) / 1_000_000_000L;
    return seconds << 32 | (fraction & 0xffffffffL);
  }

  private CallStats stats() {
    List<CallStats.Sent> sent = new ArrayList<>();
    for (SyntheticMedia s : sources) {
      long[] c = sentCounts.get(s.ssrc());
      synchronized (c) {
        sent.add(new CallStats.Sent(s.kind(), s.ssrc() & 0xffffffffL, c[0], c[1], (int) c[2]));
      }
    }
    List<CallStats.Received> received = new ArrayList<>();
    for (ReceiveStats r : incoming.values()) {
      received.add(
          new CallStats.Received(
              r.kind,
              r.ssrc & 0xffffffffL,
              r.received(),
              r.expected(),
              r.lost(),
              r.jitterMillis()));
    }
    received.sort(java.util.Comparator.comparing(CallStats.Received::kind));
    List<Double> samples = List.copyOf(rttMillis);
    CallStats.Rtt rtt =
        samples.isEmpty()
            ? new CallStats.Rtt(0, 0, 0, 0)
            : new CallStats.Rtt(
                samples.size(),
                samples.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                samples.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                samples.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    return new CallStats(
        Duration.ofNanos(sendingStoppedNanos - startedNanos),
        sent,
        received,
        authFailures.get(),
        replays.get(),
        invalid.get(),
        rtt);
  }
}
