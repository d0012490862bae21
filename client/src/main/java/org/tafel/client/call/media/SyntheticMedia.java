package org.tafel.client.call.media;

import java.util.SplittableRandom;
import org.tafel.client.call.MediaKind;
import org.tafel.client.call.rtp.RtpHeader;

/**
 * Generates the RTP packets of one synthetic stream. Audio: one packet per 20 ms (50/s), payload
 * 80-160 bytes like Opus at 32-64 kbit/s, timestamp +960 at 48 kHz. Video: 30 frames/s, a 15 KB key
 * frame every 2 s and 2-3 KB frames between (about 700 kbit/s), each frame split into packets whose
 * protected size stays within {@code maxPacket} bytes, marker bit on a frame's last packet,
 * timestamp +3000 at 90 kHz. Every payload starts with a marker the caller chooses (tests use it as
 * a plaintext canary).
 */
public final class SyntheticMedia {
  public static final int AUDIO_INTERVAL_MICROS = 20_000;
  public static final int VIDEO_INTERVAL_MICROS = 33_333;
  public static final int MAX_PACKET = 1200;

  private final MediaKind kind;
  private final int ssrc;
  private final byte[] marker;
  private final int maxPayload;
  private final SplittableRandom random;
  private int seq;
  private long timestamp;
  private long frames;

  /**
   * @param tagLength the SRTP tag the packet will grow by, so the protected packet fits {@link
   *     #MAX_PACKET}
   */
  public SyntheticMedia(MediaKind kind, int ssrc, byte[] marker, int tagLength, long seed) {
    this.kind = kind;
    this.ssrc = ssrc;
    this.marker = marker.clone();
    this.maxPayload = MAX_PACKET - RtpHeader.LENGTH - tagLength;
    this.random = new SplittableRandom(seed);
    this.seq = random.nextInt(1 << 16);
    this.timestamp = random.nextInt() & 0xffffffffL;
  }

  public MediaKind kind() {
    return kind;
  }

  public int ssrc() {
    return ssrc;
  }

  /** The current RTP timestamp (of the last frame produced). */
  public long rtpTimestamp() {
    return timestamp;
  }

  /** Sizes of the payloads of the next frame (one entry for audio). */
  public int[] nextFrame() {
    frames++;
    if (kind == MediaKind.AUDIO) {
      timestamp = (timestamp + 960) & 0xffffffffL;
      return new int[] {80 + random.nextInt(81)};
    }
    timestamp = (timestamp + 3000) & 0xffffffffL;
    int size = (frames % 60 == 1) ? 15_000 : 2_000 + random.nextInt(1_000);
    int packets = (size + maxPayload - 1) / maxPayload;
    int[] sizes = new int[packets];
    int base = size / packets;
    for (int i = 0; i < packets; i++) {
      sizes[i] = i < size % packets ? base + 1 : base;
    }
    return sizes;
  }

  /**
   * Writes the RTP packet for one payload of the current frame into {@code buf} (which needs room
   * for the SRTP tag after it); returns the RTP length.
   */
  public int writePacket(byte[] buf, int payloadSize, boolean lastOfFrame) {
    RtpHeader.write(buf, lastOfFrame, kind.payloadType(), seq, timestamp, ssrc);
    seq = (seq + 1) & 0xffff;
    int o = RtpHeader.LENGTH;
    int m = Math.min(marker.length, payloadSize);
    System.arraycopy(marker, 0, buf, o, m);
    for (int i = m; i < payloadSize; i++) {
      buf[o + i] = (byte) (i * 7 + seq);
    }
    return o + payloadSize;
  }
}
