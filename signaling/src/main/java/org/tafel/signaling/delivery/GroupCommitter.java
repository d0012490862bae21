package org.tafel.signaling.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tafel.protocol.metrics.Counter;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.signaling.store.EnvelopeStore;
import org.tafel.signaling.store.EnvelopeStore.Outcome;
import org.tafel.signaling.store.EnvelopeStore.Write;
import org.tafel.signaling.store.StoredEnvelope;

/**
 * Group commit: one thread takes every pending write (up to {@link #MAX_BATCH}), applies them in
 * one {@link EnvelopeStore#commit} and only then runs each write's callback. So a burst of
 * concurrent sends costs one sync, and no callback (no {@code sent}) runs before the sync of its
 * write has returned. Writes are applied in submission order, which keeps each sender's order.
 *
 * <p>It also enforces the per-recipient queue depth, with a count per recipient kept on this thread
 * (loaded from the store on first use).
 */
public final class GroupCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  public static final int MAX_BATCH = 1024;
  private static final int MAX_PENDING = 200_000;

  private record Pending(Write write, Consumer<Outcome> done) {}

  private final EnvelopeStore store;
  private final int queueDepth;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_PENDING);
  private final Map<String, Integer> depth = new HashMap<>();
  private final AtomicLong queued;
  private final Counter commits;
  private final Counter committedWrites;
  private final Thread thread;
  private volatile boolean running = true;

  public GroupCommitter(EnvelopeStore store, int queueDepth, MetricsRegistry metrics) {
    this.store = store;
    this.queueDepth = queueDepth;
    this.queued = new AtomicLong(store.total());
    metrics.gauge(
        "tafel_signaling_envelopes_queued", "Envelope copies waiting for their ack.", queued::get);
    commits = metrics.counter("tafel_signaling_commits_total", "Store transactions committed.");
    committedWrites =
        metrics.counter(
            "tafel_signaling_committed_writes_total",
            "Sends, acks and sweeps applied by those transactions.");
    thread = new Thread(this::run, "tafel-signaling-commit");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code write}; {@code done} runs on the commit thread once the write is durable (or
   * refused). False when too many writes are pending (the caller answers {@code internal}).
   */
  public boolean submit(Write write, Consumer<Outcome> done) {
    return running && queue.offer(new Pending(write, done));
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (running) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        process(batch);
      } catch (RuntimeException e) {
        LOG.error("commit loop failed", e);
      }
      batch.clear();
    }
    List<Pending> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Pending p : rest) {
      safely(p, new EnvelopeStore.Refused(ErrorCode.INTERNAL, null));
    }
  }

  private void process(List<Pending> batch) {
    Outcome[] outcomes = new Outcome[batch.size()];
    List<Write> writes = new ArrayList<>(batch.size());
    List<Integer> index = new ArrayList<>(batch.size());
    Map<String, Integer> adding = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Write w = batch.get(i).write();
      if (w instanceof EnvelopeStore.Insert ins && queues(ins)) {
        String full = overDepth(ins, adding);
        if (full != null) {
          outcomes[i] = new EnvelopeStore.Refused(ErrorCode.QUEUE_FULL, full);
          continue;
        }
        for (StoredEnvelope c : ins.copies()) {
          adding.merge(c.recipient(), 1, Integer::sum);
        }
      }
      writes.add(w);
      index.add(i);
    }
    if (!writes.isEmpty()) {
      try {
        List<Outcome> done = store.commit(writes);
        commits.increment();
        committedWrites.add(writes.size());
        for (int k = 0; k < done.size(); k++) {
          outcomes[index.get(k)] = done.get(k);
          account(writes.get(k), done.get(k));
        }
      } catch (RuntimeException e) {
        LOG.error("store commit failed; {} writes refused", writes.size(), e);
        depth.clear();
        for (int k : index) {
          outcomes[k] = new EnvelopeStore.Refused(ErrorCode.INTERNAL, null);
        }
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      safely(batch.get(i), outcomes[i]);
    }
  }

  private static boolean queues(EnvelopeStore.Insert ins) {
    return ins.copies().get(0).queue() != QueueClass.NONE;
  }

  private String overDepth(EnvelopeStore.Insert ins, Map<String, Integer> adding) {
    for (StoredEnvelope c : ins.copies()) {
      int now = depth.computeIfAbsent(c.recipient(), store::depth);
      if (now + adding.getOrDefault(c.recipient(), 0) + 1 > queueDepth) {
        return c.recipient();
      }
    }
    return null;
  }

  private void account(Write w, Outcome o) {
    if (o instanceof EnvelopeStore.Inserted ins
        && w instanceof EnvelopeStore.Insert i
        && queues(i)) {
      for (StoredEnvelope c : ins.copies()) {
        depth.merge(c.recipient(), 1, Integer::sum);
      }
      queued.addAndGet(ins.copies().size());
    } else if (o instanceof EnvelopeStore.Deleted d
        && d.existed()
        && w instanceof EnvelopeStore.Delete del) {
      depth.computeIfPresent(del.recipient(), (k, v) -> v - 1);
      queued.decrementAndGet();
    } else if (o instanceof EnvelopeStore.Expired ex) {
      for (StoredEnvelope e : ex.envelopes()) {
        depth.computeIfPresent(e.recipient(), (k, v) -> v - 1);
      }
      queued.addAndGet(-ex.envelopes().size());
    }
  }

  private static void safely(Pending p, Outcome o) {
    try {
      p.done().accept(o);
    } catch (RuntimeException e) {
      LOG.warn("commit callback failed", e);
    }
  }

  /** Stops taking writes; pending ones are refused with {@code internal}. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
