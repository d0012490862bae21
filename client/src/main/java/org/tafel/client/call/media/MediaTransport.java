package org.tafel.client.call.media;

import java.io.IOException;

/** A datagram path to the other party: ICE's selected pair in a call, a UDP socket in tests. */
public interface MediaTransport extends AutoCloseable {

  void send(byte[] buf, int off, int len) throws IOException;

  /**
   * Waits up to {@code timeoutMillis} for one datagram into {@code buf}; returns its length, or -1
   * on timeout.
   */
  int receive(byte[] buf, int timeoutMillis) throws IOException;

  @Override
  void close();
}
