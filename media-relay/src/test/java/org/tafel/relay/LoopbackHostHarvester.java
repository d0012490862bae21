package org.tafel.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import org.ice4j.Transport;
import org.ice4j.ice.Candidate;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.AbstractCandidateHarvester;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

/**
 * ice4j host harvester for 127.0.0.1, which ice4j's own {@code HostCandidateHarvester} always
 * skips. The candidate it yields is only a base for a TURN allocation: it never pairs, so every
 * check and every datagram must go through the relay. Use with {@code
 * agent.setUseDynamicPorts(false)}.
 */
final class LoopbackHostHarvester extends AbstractCandidateHarvester {

  @Override
  public boolean isHostHarvester() {
    return true;
  }

  @Override
  public List<LocalCandidate> harvest(Component component) {
    try {
      IceUdpSocketWrapper socket =
          new IceUdpSocketWrapper(
              new MultiplexingDatagramSocket(0, InetAddress.getLoopbackAddress()));
      HostCandidate candidate = new RelayBaseCandidate(socket, component);
      component.addLocalCandidate(candidate);
      candidate.getStunStack().addSocket(candidate.getStunSocket(null));
      component.getComponentSocket().add(socket);
      return List.of(candidate);
    } catch (IOException e) {
      throw new UncheckedIOException("binding a UDP socket on loopback", e);
    }
  }

  /** A host candidate that reaches no remote candidate, so ICE only pairs relayed candidates. */
  static final class RelayBaseCandidate extends HostCandidate {
    RelayBaseCandidate(IceUdpSocketWrapper socket, Component component) {
      super(socket, component, Transport.UDP);
    }

    @Override
    public boolean canReach(Candidate<?> remote) {
      return false;
    }
  }
}
