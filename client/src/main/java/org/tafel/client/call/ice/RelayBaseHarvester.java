package org.tafel.client.call.ice;

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
 * The host harvester of a relay-only agent: one UDP socket on the address that routes to the relay
 * (loopback too, which ice4j's own host harvester always skips). Its candidate is only the base of
 * the TURN allocation: it is never signalled and never pairs, so every check and every media packet
 * goes through the relay and the other side never sees this address. Use with {@code
 * agent.setUseDynamicPorts(false)}.
 */
final class RelayBaseHarvester extends AbstractCandidateHarvester {
  private final InetAddress address;

  RelayBaseHarvester(InetAddress address) {
    this.address = address;
  }

  @Override
  public boolean isHostHarvester() {
    return true;
  }

  @Override
  public List<LocalCandidate> harvest(Component component) {
    try {
      IceUdpSocketWrapper socket =
          new IceUdpSocketWrapper(new MultiplexingDatagramSocket(0, address));
      HostCandidate candidate = new BaseCandidate(socket, component);
      component.addLocalCandidate(candidate);
      candidate.getStunStack().addSocket(candidate.getStunSocket(null));
      component.getComponentSocket().add(socket);
      return List.of(candidate);
    } catch (IOException e) {
      throw new UncheckedIOException("binding the relay base socket", e);
    }
  }

  /** A host candidate that reaches no remote candidate, so ICE pairs only relayed ones. */
  private static final class BaseCandidate extends HostCandidate {
    BaseCandidate(IceUdpSocketWrapper socket, Component component) {
      super(socket, component, Transport.UDP);
    }

    @Override
    public boolean canReach(Candidate<?> remote) {
      return false;
    }
  }
}
