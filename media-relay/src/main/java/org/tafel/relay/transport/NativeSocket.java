package org.tafel.relay.transport;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.PlatformDependent;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;

/**
 * A UDP socket of the native path ({@link NativeUdp}), registered with a Netty epoll event loop: on
 * readiness it reads up to {@link NativeArena#BATCH} datagrams per {@code recvmmsg} into the loop's
 * arena and hands each to {@link #onDatagram}; what is queued for sending goes out with one {@code
 * sendmmsg} when the loop iteration's {@link FlushBatch} runs. Confined to its loop.
 */
abstract class NativeSocket extends FlushBatch.Target implements EpollIoHandle {
  /** Datagrams queued per socket before it is flushed early. */
  static final int QUEUE = 64;

  private static final int DESCRIPTOR_BYTES = NativeUdp.DESC_BYTES;

  /** Bytes of one send queue, lent by the loop's arena while the socket has datagrams queued. */
  static final int QUEUE_BYTES = QUEUE * DESCRIPTOR_BYTES;

  /** Reads per readiness; level-triggered epoll reports the socket again if more is waiting. */
  private static final int READS_PER_READINESS = 4;

  protected final IoEventLoop loop;
  protected final RelayMetrics metrics;
  private final int fd;
  private final FileDescriptor descriptor;
  private final DropReason sendDrop;

  /** The send queue while datagrams are queued (0 otherwise): descriptors for {@code sendmmsg}. */
  private long queue;

  private int queued;
  private IoRegistration registration;
  private boolean closed;

  /**
   * @param fd an open, non-blocking socket from {@link NativeUdp#open4}; this object closes it
   * @param sendDrop the reason counted for a datagram the kernel would not take
   */
  NativeSocket(IoEventLoop loop, int fd, RelayMetrics metrics, DropReason sendDrop) {
    super(loop);
    this.loop = loop;
    this.fd = fd;
    this.descriptor = new FileDescriptor(fd);
    this.metrics = metrics;
    this.sendDrop = sendDrop;
  }

  /**
   * Registers the socket for reading with its loop; the future fails (and the socket is closed)
   * when the loop refuses it.
   */
  Future<IoRegistration> register() {
    Future<IoRegistration> f = loop.register(this);
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            close();
            return;
          }
          registration = f.getNow();
          if (closed) {
            registration.cancel();
            return;
          }
          registration.submit(EpollIoOps.EPOLLIN);
        });
    return f;
  }

  @Override
  public final FileDescriptor fd() {
    return descriptor;
  }

  final boolean isOpen() {
    return !closed;
  }

  /** Queues one datagram at {@code address} (arena memory, valid until the flush) for ip:port. */
  final void enqueue(long address, int length, int ip, int port) {
    if (queued == QUEUE) {
      flush();
    }
    if (queue == 0) {
      queue = FlushBatch.current().arena().takeQueue();
    }
    long d = queue + (long) queued * DESCRIPTOR_BYTES;
    PlatformDependent.putLong(d, address);
    PlatformDependent.putInt(d + 8, length);
    PlatformDependent.putInt(d + 12, ip);
    PlatformDependent.putInt(d + 16, port);
    queued++;
    FlushBatch.mark(this);
  }

  @Override
  protected final void flush() {
    int q = queued;
    if (q == 0) {
      return;
    }
    queued = 0;
    int sent = closed ? 0 : Math.max(0, NativeUdp.send(fd, queue, q));
    FlushBatch.current().arena().giveQueue(queue);
    queue = 0;
    for (int i = sent; i < q; i++) {
      metrics.drop(sendDrop);
    }
  }

  @Override
  public final void handle(IoRegistration r, IoEvent event) {
    FlushBatch batch = FlushBatch.current();
    NativeArena arena = batch.arena();
    for (int round = 0; round < READS_PER_READINESS && !closed; round++) {
      batch.flushIfHeld();
      int n = arena.receive(fd);
      if (n <= 0) {
        return; // nothing waiting, or an error the next readiness reports again
      }
      try {
        for (int i = 0; i < n; i++) {
          try {
            if (arena.truncated(i)) {
              metrics.drop(DropReason.OVERSIZE); // longer than a relay reads whole
            } else {
              onDatagram(arena, i);
            }
          } catch (RuntimeException e) {
            onInternalError(e);
          }
        }
      } finally {
        arena.unpin();
      }
      if (n < NativeArena.BATCH) {
        return;
      }
    }
  }

  /** One received datagram, not truncated: index {@code i} of the arena's last read. */
  abstract void onDatagram(NativeArena arena, int i);

  /** A handler bug: counted, never fatal to the socket. */
  abstract void onInternalError(RuntimeException e);

  /** Closes the socket; idempotent, on the loop. Queued datagrams are dropped. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (registration != null) {
      registration.cancel();
    }
    NativeUdp.close0(fd);
  }
}
