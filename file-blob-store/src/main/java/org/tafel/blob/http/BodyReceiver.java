package org.tafel.blob.http;

import io.netty.buffer.ByteBuf;

/** Where a request body goes, chunk by chunk. Called on the connection's event loop. */
public interface BodyReceiver {
  /** The next chunk; ownership passes to the receiver. */
  void content(ByteBuf chunk);

  /** The body is complete; the receiver replies (possibly later). */
  void end();

  /** The connection closed before the body ended. */
  void abort();
}
