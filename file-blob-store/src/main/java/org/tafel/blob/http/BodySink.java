package org.tafel.blob.http;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Writes chunks to a channel on an I/O executor, one write at a time, in arrival order, so the
 * event loop never blocks on the disk. {@link #offer} returns the bytes queued; the connection
 * stops reading above a high mark and {@code onDrained} (called on the I/O thread when the queue is
 * empty) lets it read again, so memory per upload stays bounded whatever the file size.
 */
public final class BodySink {
  /** Above this many queued bytes the connection stops reading. */
  public static final int HIGH_MARK = 1 << 20;

  private final WritableByteChannel out;
  private final Executor io;
  private final MessageDigest digest;
  private final Runnable onDrained;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private long queued;
  private long written;
  private boolean running;
  private boolean stopping;
  private boolean discard;
  private IOException failure;
  private final CompletableFuture<Long> stopped = new CompletableFuture<>();

  /**
   * @param digest updated with every byte written, or null
   */
  public BodySink(WritableByteChannel out, Executor io, MessageDigest digest, Runnable onDrained) {
    this.out = out;
    this.io = io;
    this.digest = digest;
    this.onDrained = onDrained;
  }

  /** Queues {@code chunk} (ownership passes); returns the bytes now queued. */
  public synchronized long offer(ByteBuf chunk) {
    if (stopping) {
      chunk.release();
      return queued;
    }
    queue.add(chunk);
    queued += chunk.readableBytes();
    if (!running) {
      running = true;
      io.execute(this::drain);
    }
    return queued;
  }

  /**
   * Completes with the bytes written once everything queued is written, or exceptionally when a
   * write failed.
   */
  public CompletableFuture<Long> finish() {
    stop(false);
    return stopped;
  }

  /**
   * Drops what is still queued; completes with the bytes written once no write is in progress (so
   * the caller may then truncate or delete the file).
   */
  public CompletableFuture<Long> abort() {
    stop(true);
    return stopped.handle((n, e) -> written());
  }

  private synchronized long written() {
    return written;
  }

  private void stop(boolean drop) {
    synchronized (this) {
      stopping = true;
      if (drop) {
        discard = true;
        ByteBuf b;
        while ((b = queue.poll()) != null) {
          queued -= b.readableBytes();
          b.release();
        }
      }
      if (running) {
        return;
      }
    }
    complete();
  }

  private void complete() {
    IOException f;
    long n;
    synchronized (this) {
      f = failure;
      n = written;
    }
    if (f != null) {
      stopped.completeExceptionally(f);
    } else {
      stopped.complete(n);
    }
  }

  private void drain() {
    while (true) {
      ByteBuf b;
      boolean done;
      synchronized (this) {
        b = queue.poll();
        if (b == null) {
          running = false;
          done = stopping;
        } else {
          done = false;
        }
      }
      if (b == null) {
        if (done) {
          complete();
        } else {
          onDrained.run();
        }
        return;
      }
      int n = b.readableBytes();
      try {
        boolean skip;
        synchronized (this) {
          skip = failure != null || discard;
        }
        if (!skip) {
          write(b);
          synchronized (this) {
            written += n;
          }
        }
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          failure = e instanceof IOException io ? io : new IOException(e);
        }
      } finally {
        b.release();
        synchronized (this) {
          queued -= n;
        }
      }
    }
  }

  private void write(ByteBuf b) throws IOException {
    for (ByteBuffer bb : b.nioBuffers()) {
      ByteBuffer forDigest = digest != null ? bb.duplicate() : null;
      while (bb.hasRemaining()) {
        out.write(bb);
      }
      if (digest != null) {
        digest.update(forDigest);
      }
    }
  }
}
