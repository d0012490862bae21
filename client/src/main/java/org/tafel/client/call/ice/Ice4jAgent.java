package org.tafel.client.call.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;
import org.tafel.client.call.IceCandidate;
import org.tafel.client.call.IceParameters;
import org.tafel.client.call.media.MediaTransport;

/** The ice4j side of {@link IceSession}; loaded only after {@link Ice4jDefaults}. */
final class Ice4jAgent {
  private final IceConfig config;
  private final Agent agent;
  private final IceMediaStream stream;
  private final Component component;
  private final List<IceCandidate> relayed;

  private Ice4jAgent(IceConfig config, Agent agent, IceMediaStream stream, Component component) {
    this.config = config;
    this.agent = agent;
    this.stream = stream;
    this.component = component;
    List<IceCandidate> out = new ArrayList<>();
    for (LocalCandidate c : component.getLocalCandidates()) {
      if (c.getType() == CandidateType.RELAYED_CANDIDATE) {
        TransportAddress ta = c.getTransportAddress();
        out.add(
            new IceCandidate(
                c.getFoundation(),
                component.getComponentID(),
                "udp",
                c.getPriority(),
                ta.getAddress().getHostAddress(),
                ta.getPort(),
                "relay"));
      }
    }
    this.relayed = List.copyOf(out);
  }

  static Ice4jAgent gather(IceConfig config) throws IOException, RelayUnavailableException {
    TurnServer first = config.turnServers().get(0);
    InetAddress base = routeTo(first);
    Agent agent = new Agent();
    boolean ok = false;
    try {
      agent.setUseDynamicPorts(false);
      agent.addCandidateHarvester(new RelayBaseHarvester(base));
      for (TurnServer t : config.turnServers()) {
        agent.addCandidateHarvester(
            new TurnCandidateHarvester(
                new TransportAddress(t.host(), t.port(), Transport.UDP),
                new LongTermCredential(t.username(), t.password())));
      }
      agent.setControlling(config.controlling());
      IceMediaStream stream = agent.createMediaStream("media");
      Component component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
      Ice4jAgent a = new Ice4jAgent(config, agent, stream, component);
      if (a.relayed.isEmpty()) {
        throw new RelayUnavailableException(
            "no relayed candidate from "
                + config.turnServers()
                + ": the relay refused the TURN credentials (wrong or expired) or did not answer"
                + " over UDP");
      }
      ok = true;
      return a;
    } finally {
      if (!ok) {
        agent.free();
      }
    }
  }

  IceParameters localParameters() {
    return new IceParameters(agent.getLocalUfrag(), agent.getLocalPassword());
  }

  List<IceCandidate> localCandidates() {
    return relayed;
  }

  MediaTransport connect(IceParameters remote, List<IceCandidate> candidates)
      throws IceFailedException, InterruptedException {
    for (IceCandidate c : candidates) {
      if (c.component() != component.getComponentID()) {
        continue;
      }
      TransportAddress ta;
      try {
        // An IP literal (IceCandidate checks), so no name is resolved.
        ta = new TransportAddress(InetAddress.getByName(c.address()), c.port(), Transport.UDP);
      } catch (java.net.UnknownHostException e) {
        continue;
      }
      component.addRemoteCandidate(
          new RemoteCandidate(
              ta, component, CandidateType.parse(c.type()), c.foundation(), c.priority(), null));
    }
    stream.setRemoteUfrag(remote.ufrag());
    stream.setRemotePassword(remote.password());
    CountDownLatch done = new CountDownLatch(1);
    agent.addStateChangeListener(
        ev -> {
          Object s = ev.getNewValue();
          if (s == IceProcessingState.COMPLETED
              || s == IceProcessingState.TERMINATED
              || s == IceProcessingState.FAILED) {
            done.countDown();
          }
        });
    agent.startConnectivityEstablishment();
    boolean finished =
        done.await(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            || agent.getState() == IceProcessingState.COMPLETED
            || agent.getState() == IceProcessingState.TERMINATED;
    IceProcessingState state = agent.getState();
    if (!finished || state == IceProcessingState.FAILED || component.getSelectedPair() == null) {
      throw new IceFailedException(
          "ICE did not connect within "
              + config.connectTimeout().toSeconds()
              + " s (state "
              + state
              + ", "
              + candidates.size()
              + " remote candidates)");
    }
    return new ComponentTransport(component);
  }

  String selectedPair() {
    CandidatePair p = component.getSelectedPair();
    if (p == null) {
      return "none";
    }
    return describe(p.getLocalCandidate()) + " -> " + describe(p.getRemoteCandidate());
  }

  boolean connectedOverRelays() {
    CandidatePair p = component.getSelectedPair();
    return p != null
        && p.getLocalCandidate().getType() == CandidateType.RELAYED_CANDIDATE
        && p.getRemoteCandidate().getType() == CandidateType.RELAYED_CANDIDATE;
  }

  void close() {
    agent.free();
  }

  private static String describe(org.ice4j.ice.Candidate<?> c) {
    TransportAddress ta = c.getTransportAddress();
    return c.getType() + " " + ta.getHostString() + ":" + ta.getPort();
  }

  /** The local address the kernel routes to the relay from; the allocation's base binds there. */
  private static InetAddress routeTo(TurnServer t) throws IOException {
    try (DatagramSocket probe = new DatagramSocket()) {
      // connect() on UDP sends nothing; it only picks the route and so the source address.
      probe.connect(new InetSocketAddress(t.host(), t.port()));
      InetAddress local = probe.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        throw new IOException("no route to the relay " + t);
      }
      return local;
    }
  }

  /** The media path over ICE's selected pair. */
  private static final class ComponentTransport implements MediaTransport {
    private final Component component;

    ComponentTransport(Component component) {
      this.component = component;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
      component.send(buf, off, len);
    }

    @Override
    public int receive(byte[] buf, int timeoutMillis) throws IOException {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      component.getSocket().setSoTimeout(Math.max(1, timeoutMillis));
      try {
        component.getSocket().receive(p);
      } catch (SocketTimeoutException e) {
        return -1;
      }
      if (p.getOffset() != 0) {
        System.arraycopy(buf, p.getOffset(), buf, 0, p.getLength());
      }
      return p.getLength();
    }

    @Override
    public void close() {
      // The agent owns the socket; IceSession.close() frees it.
    }
  }
}
