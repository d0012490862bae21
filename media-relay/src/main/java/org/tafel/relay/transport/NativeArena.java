package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import org.tafel.relay.forward.HeadroomRecvByteBufAllocator;

/**
 * One event loop's memory for natively read and queued datagrams: a bump allocator over direct
 * memory that the loop's {@link FlushBatch} empties after every flush. A datagram is read into a
 * slot with {@link #HEADROOM} free bytes in front (the ChannelData or Data indication header is
 * written there in place) and stays where it is until it has been sent, so nothing is copied or
 * allocated per datagram. Confined to its event loop.
 */
final class NativeArena {
  /** Free bytes in front of every slot, as the Netty path leaves them. */
  static final int HEADROOM = HeadroomRecvByteBufAllocator.HEADROOM;

  /** Largest datagram read whole; longer ones arrive truncated and are dropped. */
  static final int CAPACITY = 4096;

  /** One slot: headroom, the datagram, padding to 4 bytes, rounded up to a cache line. */
  static final int STRIDE = 4160;

  /** Datagrams per {@code recvmmsg}. */
  static final int BATCH = 16;

  private static final int SIZE = 2 * 1024 * 1024;
  private static final int META_BYTES = NativeUdp.META_BYTES;
  private static final int QUEUES_PER_CHUNK = 16;

  private final FlushBatch batch;
  private final ByteBuffer memory = ByteBuffer.allocateDirect(SIZE);
  private final ByteBuffer metaMemory = ByteBuffer.allocateDirect(BATCH * META_BYTES);
  final long base = PlatformDependent.directBufferAddress(memory);
  private final long meta = PlatformDependent.directBufferAddress(metaMemory);

  /**
   * The whole arena as one buffer whose release does nothing: a datagram is passed on as this view
   * with its reader and writer index around it.
   */
  final ByteBuf view = new View(memory).clear();

  /**
   * A buffer over the arena that is never freed: handlers that drop a datagram release it as they
   * would any buffer, and nothing happens. A subclass rather than Netty's unreleasable wrapper, so
   * the per-datagram calls on it are not forwarded through a second object.
   */
  private static final class View extends UnpooledUnsafeDirectByteBuf {
    View(ByteBuffer memory) {
      super(UnpooledByteBufAllocator.DEFAULT, memory, memory.capacity());
    }

    @Override
    public boolean release() {
      return false;
    }

    @Override
    public boolean release(int decrement) {
      return false;
    }

    @Override
    public ByteBuf retain() {
      return this;
    }

    @Override
    public ByteBuf retain(int increment) {
      return this;
    }
  }

  private int used;
  private int pinned;
  private int lastStart;

  /** Send queues lent to sockets for one loop iteration, and the memory they are cut from. */
  private long[] freeQueues = new long[64];

  private int freeCount;
  private final ArrayList<ByteBuffer> queueChunks = new ArrayList<>();

  NativeArena(FlushBatch batch) {
    this.batch = batch;
  }

  /**
   * Reads up to {@link #BATCH} datagrams from {@code fd} into fresh slots, which stay pinned until
   * {@link #unpin()}. Returns the count, 0 when none was waiting, or -errno.
   */
  int receive(int fd) {
    if (used + BATCH * STRIDE > SIZE) {
      batch.flushNow();
    }
    int start = used;
    int n = NativeUdp.recv(fd, base + start + HEADROOM, STRIDE, CAPACITY, BATCH, meta);
    if (n > 0) {
      lastStart = start;
      used = start + n * STRIDE;
      pinned = used;
    }
    return n;
  }

  /** The arena offset (index in {@link #view}) of datagram {@code i} of the last read. */
  int offset(int i) {
    return lastStart + i * STRIDE + HEADROOM;
  }

  /** Datagram {@code i} of the last read as {@link #view} with its indices around it. */
  ByteBuf datagram(int i) {
    int off = offset(i);
    return view.setIndex(off, off + length(i));
  }

  int length(int i) {
    return PlatformDependent.getInt(meta + i * META_BYTES);
  }

  int sourceIp(int i) {
    return PlatformDependent.getInt(meta + i * META_BYTES + 4);
  }

  int sourcePort(int i) {
    return PlatformDependent.getInt(meta + i * META_BYTES + 8);
  }

  boolean truncated(int i) {
    return (PlatformDependent.getInt(meta + i * META_BYTES + 12) & NativeUdp.FLAG_TRUNCATED) != 0;
  }

  /** The datagrams of the last read are handled; their slots live until the next flush. */
  void unpin() {
    pinned = 0;
  }

  /**
   * Copies {@code len} bytes from {@code src} at {@code index} into the arena and returns the
   * address of the copy, valid until the next flush.
   */
  long copyIn(ByteBuf src, int index, int len) {
    int need = (len + 7) & ~7;
    if (used + need > SIZE) {
      batch.flushNow();
    }
    int at = used;
    used += need;
    src.getBytes(index, view, at, len);
    return base + at;
  }

  /** True when {@code address} lies in this arena. */
  boolean contains(long address) {
    return address >= base && address < base + SIZE;
  }

  /**
   * Lends a socket memory for {@link NativeSocket#QUEUE} send descriptors until its flush: a relay
   * socket holds none while idle, so ten thousand allocations do not keep ten thousand queues.
   */
  long takeQueue() {
    if (freeCount == 0) {
      ByteBuffer chunk = ByteBuffer.allocateDirect(QUEUES_PER_CHUNK * NativeSocket.QUEUE_BYTES);
      queueChunks.add(chunk);
      long at = PlatformDependent.directBufferAddress(chunk);
      for (int i = 0; i < QUEUES_PER_CHUNK; i++) {
        giveQueue(at + (long) i * NativeSocket.QUEUE_BYTES);
      }
    }
    return freeQueues[--freeCount];
  }

  /** Takes back a queue lent by {@link #takeQueue()}. */
  void giveQueue(long queue) {
    if (freeCount == freeQueues.length) {
      freeQueues = Arrays.copyOf(freeQueues, freeCount * 2);
    }
    freeQueues[freeCount++] = queue;
  }

  /** Called by the batch after every flush: all but the pinned slots are free. */
  void flushed() {
    used = pinned;
  }
}
