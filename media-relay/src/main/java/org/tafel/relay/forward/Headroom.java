package org.tafel.relay.forward;

import io.netty.buffer.ByteBuf;

/**
 * Finds the free bytes that {@link HeadroomRecvByteBufAllocator} left in front of a received
 * datagram and returns a view that includes them, so a header is written in place.
 */
public final class Headroom {
  private Headroom() {}

  /**
   * Returns a buffer whose readable bytes are {@code payload}'s and which has at least {@code need}
   * bytes before its reader index and {@code tail} writable bytes after, taking ownership of {@code
   * payload}; or null when the payload has no such room (the caller copies).
   */
  public static ByteBuf expand(ByteBuf payload, int need, int tail) {
    if (payload.readerIndex() >= need && payload.writableBytes() >= tail) {
      return payload;
    }
    // Derived and leak-aware buffers wrap the pooled root; find it. Each derived buffer counts
    // its own references and holds one on the root, so a slice of the root taken here and the
    // release of the payload keep the counts exact.
    ByteBuf root = payload.unwrap();
    if (root == null) {
      return null;
    }
    while (root.unwrap() != null) {
      root = root.unwrap();
    }
    int offset;
    if (payload.hasMemoryAddress() && root.hasMemoryAddress()) {
      long diff = payload.memoryAddress() - root.memoryAddress();
      if (diff < 0 || diff > root.capacity()) {
        return null;
      }
      offset = (int) diff;
    } else if (payload.hasArray() && root.hasArray() && payload.array() == root.array()) {
      offset = payload.arrayOffset() - root.arrayOffset();
    } else {
      return null;
    }
    int start = offset + payload.readerIndex();
    int len = payload.readableBytes();
    if (start < need || start + len + tail > root.capacity()) {
      return null;
    }
    ByteBuf view = root.retainedSlice(start - need, need + len + tail);
    view.setIndex(need, need + len);
    payload.release();
    return view;
  }
}
