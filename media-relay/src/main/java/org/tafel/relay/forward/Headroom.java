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
  public static ByteBuf expand(ByteBuf payload, ByteBuf root, int need, int tail) {
    if (payload.readerIndex() >= need && payload.writableBytes() >= tail) {
      return payload;
    }
    // The root may be wrapped (leak detection) and the payload derived from it twice; slicing the
    // root through its outermost wrapper keeps every reference count and leak tracker exact.
    if (root == null || root.refCnt() == 0 || innermost(root) != innermost(payload)) {
      return null;
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

  private static ByteBuf innermost(ByteBuf b) {
    ByteBuf inner = b;
    while (inner.unwrap() != null) {
      inner = inner.unwrap();
    }
    return inner;
  }
}
