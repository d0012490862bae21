package org.tafel.client.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a call ended, as {@code call-hangup} carries it. */
public enum HangupReason {
  /** Hung up after the call was connected. */
  NORMAL,
  /** The callee refused the call. */
  DECLINED,
  /** The callee is in another call. */
  BUSY,
  /** The caller gave up before an answer (no answer within its timeout). */
  CANCELLED,
  /** ICE or media failed. */
  FAILED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static HangupReason fromWireName(String s) {
    for (HangupReason r : values()) {
      if (r.wireName().equals(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "reason: " + s + " (expected: normal, declined, busy, cancelled or failed)");
  }
}
