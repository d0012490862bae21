package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.QueueClass;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.signaling.X25519;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;
import org.tafel.signaling.store.EnvelopeStore;
import org.tafel.signaling.store.Receipt;
import org.tafel.signaling.store.SqliteStore;
import org.tafel.signaling.store.StoredEnvelope;
import org.tafel.signaling.testing.SignalingFixture;
import org.tafel.signaling.testing.WsClient;

/**
 * Must-show 2 (unit part): with an injected envelope store that records each commit's return and
 * can hold it, no {@code sent} reaches a client before the commit holding its envelope returned.
 */
@ExtendWith(NettyLeakDetectorExtension.class)
class GroupCommitSyncTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  /** Delegates to SQLite; records message IDs whose commit returned; can hold commits. */
  static final class RecordingStore implements EnvelopeStore {
    final EnvelopeStore real;
    final Set<String> synced = Collections.synchronizedSet(new HashSet<>());
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger maxBatch = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch entered = new CountDownLatch(1);

    RecordingStore(EnvelopeStore real) {
      this.real = real;
    }

    @Override
    public List<Outcome> commit(List<Write> writes) {
      entered.countDown();
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<Outcome> out = real.commit(writes); // durable (synchronous=FULL) when it returns
      for (Write w : writes) {
        if (w instanceof Insert i) {
          synced.add(java.util.HexFormat.of().formatHex(i.copies().get(0).messageId()));
        }
      }
      commits.incrementAndGet();
      maxBatch.accumulateAndGet(writes.size(), Math::max);
      return out;
    }

    @Override
    public List<StoredEnvelope> queued(String r, long after, long now, int limit) {
      return real.queued(r, after, now, limit);
    }

    @Override
    public List<Receipt> receipts(String owner, long now, int limit) {
      return real.receipts(owner, now, limit);
    }

    @Override
    public int depth(String recipient) {
      return real.depth(recipient);
    }

    @Override
    public long total() {
      return real.total();
    }
  }

  @Test
  void noSentLeavesBeforeTheCommitHoldingItsEnvelopeReturned() throws Exception {
    SqliteStore sqlite = SqliteStore.open(dir);
    RecordingStore recording = new RecordingStore(sqlite);
    Stores stores = new Stores(sqlite, recording, sqlite::checkpoint, sqlite);
    try (SignalingFixture f =
        SignalingFixture.start(
            dir,
            b -> b.limits(SignalingConfig.Limits.defaults().withRates(1e6, 1_000_000)),
            stores)) {
      String bob;
      try (WsClient b = f.connect()) {
        bob = b.register(X25519.generate(RANDOM), null);
      }
      List<WsClient> senders = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        WsClient c = f.connect();
        c.register(X25519.generate(RANDOM), null);
        senders.add(c);
      }
      // hold the store: sends pile up behind one commit
      recording.gate = new CountDownLatch(1);
      WsClient first = senders.get(0);
      first.sendEnvelope(QueueClass.NORMAL, new byte[] {0}, bob);
      assertTrue(recording.entered.await(10, TimeUnit.SECONDS));
      for (WsClient c : senders) {
        for (int k = 0; k < 50; k++) {
          c.sendEnvelope(QueueClass.NORMAL, new byte[] {1}, bob);
        }
      }
      // while the commit is held, no sender has a sent (each would be a durability lie)
      for (WsClient c : senders) {
        for (ServerFrame fr : c.drain(java.time.Duration.ofMillis(300))) {
          assertTrue(!(fr instanceof ServerFrame.Sent), "sent before its commit: " + fr);
        }
      }
      recording.gate.countDown();
      int sents = 0;
      for (WsClient c : senders) {
        int expected = c == first ? 51 : 50;
        for (int k = 0; k < expected; k++) {
          ServerFrame.Sent s = c.expect(ServerFrame.Sent.class);
          // the commit that made it durable has returned before this sent was written
          assertTrue(
              recording.synced.contains(java.util.HexFormat.of().formatHex(s.messageId())),
              "sent for an envelope whose commit had not returned");
          sents++;
        }
        c.close();
      }
      assertEquals(201, sents);
      // group commit: the 200 sends queued behind the held one shared few transactions
      assertTrue(recording.maxBatch.get() > 1, "batch size " + recording.maxBatch.get());
      assertTrue(recording.commits.get() < 200, recording.commits.get() + " commits for 201 sends");
      assertEquals(201, f.storedEnvelopes());
    }
  }
}
