package org.tafel.signaling.store;

import org.tafel.protocol.signaling.QueueClass;

/**
 * One recipient's copy of an envelope.
 *
 * @param seq store order (assigned on insert; 0 before, and for queue class none)
 * @param recipient identity ID
 * @param messageId 16 bytes chosen by the sender
 * @param sender identity ID
 * @param queue queue class
 * @param nonce 24 bytes
 * @param box ciphertext
 * @param arrived Unix milliseconds
 * @param expires Unix milliseconds; never delivered at or after
 */
public record StoredEnvelope(
    long seq,
    String recipient,
    byte[] messageId,
    String sender,
    QueueClass queue,
    byte[] nonce,
    byte[] box,
    long arrived,
    long expires) {

  public StoredEnvelope withSeq(long s) {
    return new StoredEnvelope(s, recipient, messageId, sender, queue, nonce, box, arrived, expires);
  }
}
