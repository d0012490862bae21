package org.tafel.client.call.ice;

import java.io.IOException;
import java.util.List;
import org.tafel.client.call.IceCandidate;
import org.tafel.client.call.IceParameters;
import org.tafel.client.call.media.MediaTransport;

/**
 * One side of a call's ICE: {@link #gather} allocates on the relay and yields the local parameters
 * and relayed candidates for the offer or answer; {@link #connect} runs connectivity checks against
 * the other side's and returns the media path over the selected (relayed) pair.
 *
 * <p>This class names no ice4j type, so loading it applies {@link Ice4jDefaults} before ice4j
 * itself loads.
 */
public final class IceSession implements AutoCloseable {
  static {
    Ice4jDefaults.apply();
  }

  private final Ice4jAgent agent;

  private IceSession(Ice4jAgent agent) {
    this.agent = agent;
  }

  /**
   * Creates the agent and allocates on every configured relay; blocks until the allocations finish
   * (well under a second on a working relay).
   *
   * @throws RelayUnavailableException if no relayed candidate came back
   */
  public static IceSession gather(IceConfig config) throws IOException, RelayUnavailableException {
    return new IceSession(Ice4jAgent.gather(config));
  }

  public IceParameters localParameters() {
    return agent.localParameters();
  }

  /** The relayed candidates to signal; nothing else is ever advertised. */
  public List<IceCandidate> localCandidates() {
    return agent.localCandidates();
  }

  /**
   * Adds the other side's candidates and runs the checks; returns the media path once ICE
   * completed.
   */
  public MediaTransport connect(IceParameters remote, List<IceCandidate> remoteCandidates)
      throws IceFailedException, InterruptedException {
    return agent.connect(remote, remoteCandidates);
  }

  /** The selected pair, e.g. {@code relay 127.0.0.1:20001 -> relay 127.0.0.1:20002}. */
  public String selectedPair() {
    return agent.selectedPair();
  }

  /** True when both ends of the selected pair are relayed candidates. */
  public boolean connectedOverRelays() {
    return agent.connectedOverRelays();
  }

  @Override
  public void close() {
    agent.close();
  }
}
