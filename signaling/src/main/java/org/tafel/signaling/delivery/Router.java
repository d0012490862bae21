package org.tafel.signaling.delivery;

import java.util.function.Function;
import org.tafel.signaling.SignalingMetrics;
import org.tafel.signaling.store.EnvelopeStore;
import org.tafel.signaling.store.Receipt;
import org.tafel.signaling.store.StoredEnvelope;

/**
 * Hands committed envelopes and receipts to the recipients' online sessions, in commit order
 * (called on the commit thread). Offline recipients get theirs from the store at login.
 */
public final class Router {
  private final Function<String, Mailbox> online;
  private final SignalingMetrics metrics;

  public Router(Function<String, Mailbox> online, SignalingMetrics metrics) {
    this.online = online;
    this.metrics = metrics;
  }

  public void inserted(EnvelopeStore.Inserted inserted) {
    for (StoredEnvelope e : inserted.copies()) {
      Mailbox m = online.apply(e.recipient());
      if (m != null) {
        m.offer(e);
      }
    }
  }

  public void expired(EnvelopeStore.Expired expired) {
    metrics.expired(expired.envelopes().size());
    for (Receipt r : expired.receipts()) {
      Mailbox m = online.apply(r.owner());
      if (m != null) {
        m.offerReceipt(r);
      }
    }
  }
}
