package org.tafel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tafel.protocol.stun.TurnCredentials;

/**
 * Two ice4j agents (Jitsi's ICE stack; nobody here wrote it) that may only reach each other through
 * the Tafel relay: each allocates with TURN REST credentials, only relayed candidates are
 * signalled, and the loopback host candidate never pairs. Proves that a third-party TURN client
 * gets through Allocate (401 then success), CreatePermission, Send indications carrying ICE
 * connectivity checks, ChannelBind and ChannelData, in both directions.
 */
class Ice4jRelayOnlyTest {

  private static final String[] NO_MAPPING_HARVESTERS = {
    // The only mapping harvester on by default: an HTTP PUT to 169.254.169.254 from the first
    // Agent.
    "ice4j.harvest.mapping.aws.enabled", "false",
    "ice4j.harvest.mapping.aws.force", "false",
  };

  // Strong references: java.util.logging holds loggers weakly, and a collected logger forgets its
  // level.
  private static final Logger ICE4J_LOG = Logger.getLogger("org.ice4j");
  private static final Logger JITSI_LOG = Logger.getLogger("org.jitsi");

  static {
    // Before any ice4j class loads: ice4j reads its config once, through a singleton.
    for (int i = 0; i < NO_MAPPING_HARVESTERS.length; i += 2) {
      System.setProperty(NO_MAPPING_HARVESTERS[i], NO_MAPPING_HARVESTERS[i + 1]);
    }
    ICE4J_LOG.setLevel(Level.WARNING);
    JITSI_LOG.setLevel(Level.WARNING);
  }

  private static final int DATAGRAMS = 50;
  private static final int REQUIRED = 45;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  @Timeout(90)
  void twoIce4jAgentsConnectAndExchangeDatagramsOnlyThroughTheRelay() throws Exception {
    try (RelayFixture relay = RelayFixture.builder().allowPeer("127.0.0.0/8").start()) {
      String user = (System.currentTimeMillis() / 1000 + 3600) + ":" + "ice4j-test";
      String pass =
          TurnCredentials.restPassword(RelayFixture.SECRET.getBytes(StandardCharsets.UTF_8), user);
      TransportAddress turn = new TransportAddress("127.0.0.1", relay.port(), Transport.UDP);

      Agent a = null;
      Agent b = null;
      try {
        a = newAgent(turn, user, pass, true);
        b = newAgent(turn, user, pass, false);
        Component ca = createComponent(a);
        Component cb = createComponent(b);

        assertOnlyLoopbackHostAndRelayedCandidates("A", ca, relay.port());
        assertOnlyLoopbackHostAndRelayedCandidates("B", cb, relay.port());

        signalRelayedCandidates(a, ca, b, cb);
        signalRelayedCandidates(b, cb, a, ca);

        CountDownLatch aDone = completion(a);
        CountDownLatch bDone = completion(b);
        a.startConnectivityEstablishment();
        b.startConnectivityEstablishment();
        assertTrue(
            aDone.await(20, TimeUnit.SECONDS) && bDone.await(20, TimeUnit.SECONDS),
            "ICE did not complete in 20 s: A=" + a.getState() + " B=" + b.getState());
        assertEquals(IceProcessingState.COMPLETED, completedOrTerminated(a.getState()), "A");
        assertEquals(IceProcessingState.COMPLETED, completedOrTerminated(b.getState()), "B");

        CandidatePair pa = assertRelayToRelay("A", ca);
        CandidatePair pb = assertRelayToRelay("B", cb);
        // Each side's selected remote is the other side's relayed address.
        assertEquals(
            pb.getLocalCandidate().getTransportAddress(),
            pa.getRemoteCandidate().getTransportAddress());
        assertEquals(
            pa.getLocalCandidate().getTransportAddress(),
            pb.getRemoteCandidate().getTransportAddress());

        long c2pBefore = relay.metric("tafel_relay_packets_total{direction=\"client_to_peer\"}");
        long p2cBefore = relay.metric("tafel_relay_packets_total{direction=\"peer_to_client\"}");

        Receiver atB = Receiver.start("B", cb, (byte) 'a');
        Receiver atA = Receiver.start("A", ca, (byte) 'b');
        try {
          send(ca, (byte) 'a');
          send(cb, (byte) 'b');
          atB.awaitAll(5_000);
          atA.awaitAll(5_000);
        } finally {
          atB.stop();
          atA.stop();
        }
        assertTrue(
            atB.received.size() >= REQUIRED,
            "A→B: " + atB.received.size() + " of " + DATAGRAMS + " arrived");
        assertTrue(
            atA.received.size() >= REQUIRED,
            "B→A: " + atA.received.size() + " of " + DATAGRAMS + " arrived");
        // The datagrams came from the peer's relayed address, nowhere else.
        assertEquals(Set.of(pa.getLocalCandidate().getTransportAddress()), atB.sources);
        assertEquals(Set.of(pb.getLocalCandidate().getTransportAddress()), atA.sources);

        int total = atB.received.size() + atA.received.size();
        long c2p = relay.metric("tafel_relay_packets_total{direction=\"client_to_peer\"}");
        long p2c = relay.metric("tafel_relay_packets_total{direction=\"peer_to_client\"}");
        // Every datagram crosses the relay twice: client→peer at the sender's allocation, then
        // peer→client at the receiver's.
        assertTrue(c2p - c2pBefore >= total, "client_to_peer grew by " + (c2p - c2pBefore));
        assertTrue(p2c - p2cBefore >= total, "peer_to_client grew by " + (p2c - p2cBefore));
        System.out.printf(
            "A→B %d/%d, B→A %d/%d; relay client_to_peer +%d, peer_to_client +%d%n",
            atB.received.size(),
            DATAGRAMS,
            atA.received.size(),
            DATAGRAMS,
            c2p - c2pBefore,
            p2c - p2cBefore);
      } finally {
        if (a != null) {
          a.free();
        }
        if (b != null) {
          b.free();
        }
      }
    }
  }

  private static Agent newAgent(TransportAddress turn, String user, String pass, boolean ctl) {
    Agent agent = new Agent();
    agent.setUseDynamicPorts(false);
    agent.addCandidateHarvester(new LoopbackHostHarvester());
    agent.addCandidateHarvester(
        new TurnCandidateHarvester(turn, new LongTermCredential(user, pass)));
    agent.setControlling(ctl);
    return agent;
  }

  /** Blocks while the harvesters run, the TURN Allocate included. */
  private static Component createComponent(Agent agent) throws IOException {
    IceMediaStream stream = agent.createMediaStream("media");
    return agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
  }

  private static void assertOnlyLoopbackHostAndRelayedCandidates(
      String side, Component c, int turnPort) {
    List<LocalCandidate> locals = c.getLocalCandidates();
    long relayed = 0;
    for (LocalCandidate l : locals) {
      TransportAddress ta = l.getTransportAddress();
      assertEquals(LOOPBACK, ta.getAddress(), side + ": candidate off loopback: " + l);
      assertTrue(
          l.getType() == CandidateType.HOST_CANDIDATE
              || l.getType() == CandidateType.RELAYED_CANDIDATE,
          side + ": unexpected candidate type (a mapping harvester ran?): " + l);
      if (l.getType() == CandidateType.RELAYED_CANDIDATE) {
        relayed++;
        assertTrue(
            ta.getPort() != turnPort, side + ": relayed address is the TURN port itself: " + l);
      }
    }
    // A wrong password or a dead relay shows up only as a missing relayed candidate.
    assertEquals(1, relayed, side + ": relayed candidates in " + locals);
  }

  private static void signalRelayedCandidates(Agent from, Component fc, Agent to, Component tc) {
    for (LocalCandidate l : fc.getLocalCandidates()) {
      if (l.getType() == CandidateType.RELAYED_CANDIDATE) {
        tc.addRemoteCandidate(
            new RemoteCandidate(
                l.getTransportAddress(),
                tc,
                CandidateType.RELAYED_CANDIDATE,
                l.getFoundation(),
                l.getPriority(),
                null));
      }
    }
    IceMediaStream ts = tc.getParentStream();
    ts.setRemoteUfrag(from.getLocalUfrag());
    ts.setRemotePassword(from.getLocalPassword());
  }

  private static CountDownLatch completion(Agent agent) {
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
    return done;
  }

  /** After COMPLETED ice4j moves to TERMINATED (3 s later by default); both mean success. */
  private static IceProcessingState completedOrTerminated(IceProcessingState s) {
    return s == IceProcessingState.TERMINATED ? IceProcessingState.COMPLETED : s;
  }

  private static CandidatePair assertRelayToRelay(String side, Component c) {
    CandidatePair pair = c.getSelectedPair();
    assertNotNull(pair, side + ": no selected pair");
    assertEquals(
        CandidateType.RELAYED_CANDIDATE, pair.getLocalCandidate().getType(), side + ": " + pair);
    assertEquals(
        CandidateType.RELAYED_CANDIDATE, pair.getRemoteCandidate().getType(), side + ": " + pair);
    return pair;
  }

  /** An SRTP-looking datagram (first byte 0x80, RFC 7983) carrying a direction tag and index. */
  private static void send(Component c, byte tag) throws IOException, InterruptedException {
    byte[] buf = new byte[160];
    buf[0] = (byte) 0x80;
    buf[1] = tag;
    for (int i = 0; i < DATAGRAMS; i++) {
      buf[2] = (byte) (i >> 8);
      buf[3] = (byte) i;
      c.send(buf, 0, buf.length);
      Thread.sleep(2);
    }
  }

  /** Reads the component socket (ice4j's merged socket) until stopped. */
  private static final class Receiver implements Runnable {
    final Set<Integer> received = ConcurrentHashMap.newKeySet();
    final Set<SocketAddress> sources = ConcurrentHashMap.newKeySet();
    private final Component component;
    private final byte tag;
    private final Thread thread;
    private volatile boolean running = true;

    private Receiver(String side, Component component, byte tag) {
      this.component = component;
      this.tag = tag;
      this.thread = new Thread(this, "receiver-" + side);
      thread.setDaemon(true);
    }

    static Receiver start(String side, Component component, byte tag) throws IOException {
      component.getSocket().setSoTimeout(100);
      Receiver r = new Receiver(side, component, tag);
      r.thread.start();
      return r;
    }

    @Override
    public void run() {
      byte[] buf = new byte[1500];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      while (running) {
        p.setData(buf);
        try {
          component.getSocket().receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        } catch (IOException e) {
          return;
        }
        if (p.getLength() == 160
            && buf[p.getOffset()] == (byte) 0x80
            && buf[p.getOffset() + 1] == tag) {
          received.add(((buf[p.getOffset() + 2] & 0xff) << 8) | (buf[p.getOffset() + 3] & 0xff));
          sources.add(new TransportAddress(p.getAddress(), p.getPort(), Transport.UDP));
        }
      }
    }

    /** Waits until every datagram arrived or the time is up; the caller judges the count. */
    void awaitAll(long millis) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (received.size() < DATAGRAMS && thread.isAlive() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(1_000);
    }
  }
}
