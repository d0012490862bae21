package org.tafel.protocol.signaling;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How long the server keeps an envelope for an offline recipient (DESIGN.md §4). */
public enum QueueClass {
  /** Kept until acknowledged, at most the deployment's normal lifetime (default 30 days). */
  @JsonProperty("normal")
  NORMAL(0),
  /** Kept at most 60 s from arrival: call offer, ringing, answer, candidates. */
  @JsonProperty("short")
  SHORT(1),
  /** Never stored: delivered only to a recipient online now (typing indicators). */
  @JsonProperty("none")
  NONE(2);

  private final int code;

  QueueClass(int code) {
    this.code = code;
  }

  /** The stored code. */
  public int code() {
    return code;
  }

  public static QueueClass ofCode(int code) {
    for (QueueClass q : values()) {
      if (q.code == code) {
        return q;
      }
    }
    throw new IllegalArgumentException("queue class code: " + code + " (expected: 0, 1 or 2)");
  }
}
