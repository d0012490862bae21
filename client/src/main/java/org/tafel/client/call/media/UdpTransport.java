package org.tafel.client.call.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

/**
 * A plain UDP socket connected to one peer: the media path without ICE (tests, and calls on a
 * network where both ends know each other's address).
 */
public final class UdpTransport implements MediaTransport {
  private final DatagramSocket socket;

  public UdpTransport(DatagramSocket socket) {
    this.socket = socket;
  }

  /** A socket bound to {@code local} (port 0 for any). */
  public static UdpTransport bind(InetSocketAddress local) throws IOException {
    return new UdpTransport(new DatagramSocket(local));
  }

  public SocketAddress localAddress() {
    return socket.getLocalSocketAddress();
  }

  public void connect(SocketAddress peer) throws IOException {
    socket.connect(peer);
  }

  @Override
  public void send(byte[] buf, int off, int len) throws IOException {
    socket.send(new DatagramPacket(buf, off, len));
  }

  @Override
  public int receive(byte[] buf, int timeoutMillis) throws IOException {
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.setSoTimeout(Math.max(1, timeoutMillis));
    try {
      socket.receive(p);
      return p.getLength();
    } catch (SocketTimeoutException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
