package org.tafel.signaling.store;

import java.util.List;
import org.tafel.protocol.signaling.ErrorCode;

/**
 * Envelope queues and expiry receipts. {@link #commit} applies a batch of writes in one transaction
 * and returns only once it is durable: the group committer answers {@code sent} after that, never
 * before.
 */
public interface EnvelopeStore {

  /** One change in a batch. */
  sealed interface Write {}

  /**
   * Stores one send's copies (all for the same message ID and sender) if the sender is active and
   * every recipient is; for queue class none nothing is stored, only checked.
   */
  record Insert(String sender, List<StoredEnvelope> copies) implements Write {}

  /** Deletes the envelope {@code messageId} queued for {@code recipient} (its ack). */
  record Delete(String recipient, byte[] messageId) implements Write {}

  /** Deletes a receipt (its ack). */
  record DeleteReceipt(String owner, byte[] messageId, String recipient) implements Write {}

  /**
   * Deletes up to {@code limit} envelopes expired at {@code now} and makes a receipt for each;
   * deletes expired receipts.
   */
  record Expire(long now, long receiptExpires, int limit) implements Write {}

  /** The outcome of one write. */
  sealed interface Outcome {}

  /** Stored (or checked): the copies with their seq; copies already queued are left out. */
  record Inserted(List<StoredEnvelope> copies) implements Outcome {}

  /** Refused; nothing of this write was stored. {@code recipient} names the culprit, or null. */
  record Refused(ErrorCode code, String recipient) implements Outcome {}

  record Deleted(boolean existed) implements Outcome {}

  record Expired(List<StoredEnvelope> envelopes, List<Receipt> receipts) implements Outcome {}

  /** Applies {@code writes} in one transaction; durable when it returns. One outcome per write. */
  List<Outcome> commit(List<Write> writes);

  /**
   * Up to {@code limit} envelopes for {@code recipient} after {@code afterSeq}, unexpired at {@code
   * now}, in order.
   */
  List<StoredEnvelope> queued(String recipient, long afterSeq, long now, int limit);

  /** Unexpired receipts for {@code owner}. */
  List<Receipt> receipts(String owner, long now, int limit);

  /** Envelopes queued for {@code recipient}. */
  int depth(String recipient);

  /** Envelopes queued in total. */
  long total();
}
