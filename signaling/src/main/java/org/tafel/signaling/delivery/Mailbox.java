package org.tafel.signaling.delivery;

import org.tafel.signaling.store.Receipt;
import org.tafel.signaling.store.StoredEnvelope;

/** The online session of one identity, as the router sees it. Both calls return at once. */
public interface Mailbox {
  /** Hands over a committed envelope copy (or a no-queue one) for delivery. */
  void offer(StoredEnvelope envelope);

  /** Hands over an {@code expired} receipt for delivery. */
  void offerReceipt(Receipt receipt);
}
