package org.tafel.client;

import org.tafel.client.call.media.CallStats;
import org.tafel.client.call.srtp.SrtpProfile;

/**
 * A finished call: its statistics, whether both ends of ICE's selected pair were relayed
 * candidates, the pair, and the SRTP profile used.
 */
public record CallResult(
    String callId,
    String peer,
    CallStats stats,
    boolean overRelays,
    String selectedPair,
    SrtpProfile srtpProfile) {

  /** The statistics and the path, for people. */
  public String format() {
    return "call "
        + callId
        + " with "
        + peer
        + "\nconnected over relayed candidates: "
        + (overRelays ? "yes" : "no")
        + " ("
        + selectedPair
        + ")\nsrtp: "
        + srtpProfile
        + "\n"
        + stats.format();
  }
}
