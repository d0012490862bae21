package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import org.tafel.relay.allocation.Allocation;

/**
 * An allocation's relay socket, toward its peers: a Netty datagram channel ({@link
 * ChannelRelaySocket}) or, where the native library loads, a socket read and written in batches
 * ({@link NativeRelaySocket}). Used only on the allocation's event loop.
 */
public interface RelaySocket {
  /** True when a datagram can be queued now; false means the relay drops it as backlog. */
  boolean writable();

  /**
   * Queues {@code payload} for {@code peer}, taking ownership of it; it is sent when the loop
   * iteration ends ({@link FlushBatch}).
   */
  void send(ByteBuf payload, InetSocketAddress peer);

  /**
   * {@link #send(ByteBuf, InetSocketAddress)} to a channel's peer; a socket that addresses peers by
   * int takes them from the binding instead of the address object.
   */
  default void send(ByteBuf payload, Allocation.ChannelBinding channel) {
    send(payload, channel.peer);
  }

  /** Closes the socket; idempotent. */
  void close();
}
