package org.tafel.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH benchmark threads as Netty {@code FastThreadLocalThread}s, like the relay's event loops,
 * so the pooled allocator's thread caches and recyclers behave as they do in production. Selected
 * with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=org.tafel.bench.NettyThreadExecutor}.
 */
public final class NettyThreadExecutor extends ThreadPoolExecutor {
  public NettyThreadExecutor(int maxThreads, String prefix) {
    super(
        maxThreads,
        maxThreads,
        1,
        TimeUnit.MINUTES,
        new LinkedBlockingQueue<>(),
        new DefaultThreadFactory(prefix, true));
  }
}
