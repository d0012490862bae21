package org.tafel.client.call.srtp;

/** The outcome of unprotecting one packet. */
public enum SrtpStatus {
  OK,
  /** The tag did not verify: wrong key or modified bytes. */
  AUTH_FAIL,
  /** Seen before, or older than the replay window. */
  REPLAY,
  /** Too short or not SRTP/SRTCP. */
  INVALID,
  /** Too many SSRCs from the peer; the packet was not examined. */
  UNKNOWN_SOURCE
}
