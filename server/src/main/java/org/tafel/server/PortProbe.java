package org.tafel.server;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.tafel.server.config.Service;
import org.tafel.server.config.TafelConfig;

/**
 * Binds each configured listener port once, without SO_REUSEPORT, and lets it go again, so that a
 * port held by another process is reported by its key before anything starts. (A listener that
 * binds with SO_REUSEPORT would otherwise share the port silently with another such socket.)
 */
final class PortProbe {
  enum Transport {
    UDP,
    TCP
  }

  record Listener(String key, InetAddress address, int port, Transport transport) {}

  private PortProbe() {}

  /** The listeners {@code config} starts in this build; port 0 (any free port) is left out. */
  static List<Listener> listeners(TafelConfig config) {
    List<Listener> out = new ArrayList<>();
    if (config.runs(Service.RELAY)) {
      TafelConfig.Relay relay = config.relay();
      if (relay.turnPort() > 0) {
        out.add(new Listener("relay.turn-port", config.bind(), relay.turnPort(), Transport.UDP));
        out.add(new Listener("relay.turn-port", config.bind(), relay.turnPort(), Transport.TCP));
      }
      if (relay.turnsPort() > 0) {
        out.add(new Listener("relay.turns-port", config.bind(), relay.turnsPort(), Transport.TCP));
      }
    }
    if (config.runs(Service.SIGNALING) && config.signaling().port() > 0) {
      out.add(
          new Listener("signaling.port", config.bind(), config.signaling().port(), Transport.TCP));
    }
    if (config.admin().port() > 0) {
      out.add(
          new Listener("admin.port", config.admin().bind(), config.admin().port(), Transport.TCP));
    }
    if (config.runs(Service.BLOB) && config.blob().port() > 0) {
      out.add(new Listener("blob.port", config.bind(), config.blob().port(), Transport.TCP));
    }
    return out;
  }

  static void checkFree(List<Listener> listeners) throws StartException {
    for (Listener l : listeners) {
      InetSocketAddress at = new InetSocketAddress(l.address(), l.port());
      try {
        if (l.transport() == Transport.UDP) {
          try (DatagramSocket s = new DatagramSocket(null)) {
            s.setReuseAddress(false);
            s.bind(at);
          }
        } else {
          try (ServerSocket s = new ServerSocket()) {
            s.bind(at);
          }
        }
      } catch (IOException e) {
        String what =
            e.getMessage() != null && e.getMessage().contains("in use")
                ? " is in use ("
                : " cannot be bound (";
        throw new StartException(
            l.key()
                + ": "
                + l.port()
                + what
                + l.transport()
                + " on "
                + l.address().getHostAddress()
                + ": "
                + e.getMessage()
                + ")",
            e);
      }
    }
  }
}
