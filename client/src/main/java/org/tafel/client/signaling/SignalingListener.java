package org.tafel.client.signaling;

import org.tafel.client.crypto.KeyChangedException;
import org.tafel.client.crypto.MessageRejectedException;
import org.tafel.client.crypto.OpenedMessage;

/**
 * What a {@link SignalingClient} hands to the application, on one dispatcher thread, in the order
 * the server delivered.
 */
public interface SignalingListener {
  /**
   * A message that opened and passed every check, seen for the first time. The client acknowledges
   * it after this returns; if this throws, it is not acknowledged and the server delivers it again
   * (and the replay memory then drops it: handle before throwing).
   */
  void message(OpenedMessage message) throws Exception;

  /** The envelope {@code messageId} to {@code recipient} expired undelivered. */
  default void expired(byte[] messageId, String recipient) {}

  /** A delivered envelope was refused (forged, malformed, too old, ...) and dropped. */
  default void rejected(String sender, MessageRejectedException reason) {}

  /** A sender's key differs from its pin; the envelope stays queued until the key is accepted. */
  default void keyChanged(KeyChangedException e) {}

  /** The session ended and will not reconnect (e.g. {@code replaced}). */
  default void ended(SessionEndedException e) {}
}
