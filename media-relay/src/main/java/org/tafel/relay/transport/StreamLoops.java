package org.tafel.relay.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The child group of the TCP and TLS listeners: each accepted connection is registered on the loop
 * with the fewest open connections (among equals, the one after the last choice). Netty's default
 * takes the loops in turn, so a client that opens two connections per allocation and keeps only the
 * second (turnutils_uclient over TCP does) had every connection it kept on one loop, which then
 * relayed all TCP traffic while the others relayed none. A view of the relay's group: everything
 * but registration is the group's.
 */
public final class StreamLoops extends AbstractEventExecutorGroup implements EventLoopGroup {
  private final EventLoopGroup group;
  private final EventLoop[] loops;
  private final AtomicIntegerArray open;
  private int last = -1;

  public StreamLoops(EventLoopGroup group) {
    this.group = group;
    List<EventLoop> all = new ArrayList<>();
    for (EventExecutor e : group) {
      all.add((EventLoop) e);
    }
    this.loops = all.toArray(new EventLoop[0]);
    this.open = new AtomicIntegerArray(loops.length);
  }

  /** The number of loops. */
  public int size() {
    return loops.length;
  }

  /** Open connections registered on loop {@code index} (in the group's order). */
  public int open(int index) {
    return open.get(index);
  }

  /**
   * Takes the loop for one more connection, the fewest open (ties broken in turn), and counts the
   * connection there until it closes.
   */
  private synchronized EventLoop take(Channel channel) {
    int best = -1;
    for (int k = 1; k <= loops.length; k++) {
      int i = (last + k) % loops.length;
      if (best < 0 || open.get(i) < open.get(best)) {
        best = i;
      }
    }
    last = best;
    open.incrementAndGet(best);
    int taken = best;
    channel.closeFuture().addListener(f -> open.decrementAndGet(taken));
    return loops[best];
  }

  @Override
  public ChannelFuture register(Channel channel) {
    return take(channel).register(channel);
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    return take(promise.channel()).register(promise);
  }

  @Deprecated
  @Override
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    return take(channel).register(promise);
  }

  @Override
  public EventLoop next() {
    return group.next();
  }

  @Override
  public Iterator<EventExecutor> iterator() {
    return group.iterator();
  }

  @Override
  public boolean isShuttingDown() {
    return group.isShuttingDown();
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    return group.shutdownGracefully(quietPeriod, timeout, unit);
  }

  @Override
  public Future<?> terminationFuture() {
    return group.terminationFuture();
  }

  @Deprecated
  @Override
  public void shutdown() {
    group.shutdownGracefully();
  }

  @Override
  public boolean isShutdown() {
    return group.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return group.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return group.awaitTermination(timeout, unit);
  }
}
