package org.tafel.client.crypto;

/** The envelope's queue class (DESIGN.md §4), which the server sees and enforces. */
public enum QueueClass {
  /** Kept until acknowledged, up to the server's limit (30 days by default). */
  NORMAL,
  /** Dropped 60 s after arrival: call setup. */
  SHORT_LIVED,
  /** Delivered only to a recipient online now: typing indicators. */
  NO_QUEUE
}
