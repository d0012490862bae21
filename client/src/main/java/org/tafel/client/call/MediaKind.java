package org.tafel.client.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A media kind in a call, with the RTP payload type and clock rate Tafel uses for it. */
public enum MediaKind {
  /** Opus (RFC 7587): payload type 111, 48 kHz RTP clock. */
  AUDIO(111, 48_000),
  /** VP8-like video: payload type 96, 90 kHz RTP clock. */
  VIDEO(96, 90_000);

  private final int payloadType;
  private final int clockRate;

  MediaKind(int payloadType, int clockRate) {
    this.payloadType = payloadType;
    this.clockRate = clockRate;
  }

  public int payloadType() {
    return payloadType;
  }

  public int clockRate() {
    return clockRate;
  }

  /** The kind a payload type stands for, or null. */
  public static MediaKind ofPayloadType(int pt) {
    for (MediaKind k : values()) {
      if (k.payloadType == pt) {
        return k;
      }
    }
    return null;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static MediaKind fromWireName(String s) {
    for (MediaKind k : values()) {
      if (k.wireName().equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("media kind: " + s + " (expected: audio or video)");
  }
}
