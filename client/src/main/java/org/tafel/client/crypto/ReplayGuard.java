package org.tafel.client.crypto;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded memory of the nonces accepted from each contact. A nonce seen before is a replay (or a
 * re-delivery). When a contact's memory is full the oldest entry is forgotten and its send time
 * becomes that contact's floor: a message sent at or before the floor is refused as too old to
 * check, so a forgotten nonce can never be replayed successfully.
 */
public final class ReplayGuard {
  /** Default per-contact memory: far more than one contact sends within a queue's lifetime. */
  public static final int DEFAULT_PER_CONTACT = 10_000;

  private final int perContact;
  private final Map<String, Memory> contacts = new HashMap<>();

  public ReplayGuard(int perContact) {
    if (perContact < 1) {
      throw new IllegalArgumentException("perContact: " + perContact + " (expected: >= 1)");
    }
    this.perContact = perContact;
  }

  /**
   * Checks and records {@code nonce} from {@code contact}; {@code sentAtMillis} is the send time
   * inside the authenticated plaintext.
   */
  synchronized void accept(String contact, byte[] nonce, long sentAtMillis)
      throws MessageRejectedException {
    Memory m = contacts.computeIfAbsent(contact, c -> new Memory());
    ByteBuffer key = ByteBuffer.wrap(nonce.clone());
    if (m.seen.containsKey(key)) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.REPLAYED, "nonce already accepted from this sender");
    }
    if (sentAtMillis <= m.floorMillis) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.TOO_OLD,
          "sent before the oldest message still remembered from this sender");
    }
    m.seen.put(key, sentAtMillis);
    while (m.seen.size() > perContact) {
      Map.Entry<ByteBuffer, Long> eldest = m.seen.entrySet().iterator().next();
      m.floorMillis = Math.max(m.floorMillis, eldest.getValue());
      m.seen.remove(eldest.getKey());
    }
  }

  /** Nonces remembered for {@code contact}, for tests and metrics. */
  synchronized int remembered(String contact) {
    Memory m = contacts.get(contact);
    return m == null ? 0 : m.seen.size();
  }

  private static final class Memory {
    final LinkedHashMap<ByteBuffer, Long> seen = new LinkedHashMap<>();
    long floorMillis = Long.MIN_VALUE;
  }
}
