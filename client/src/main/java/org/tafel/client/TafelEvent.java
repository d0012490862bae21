package org.tafel.client;

import java.time.Instant;
import org.tafel.client.files.FileMessage;

/** Something that arrived for the application (calls go through {@link TafelClient#awaitCall}). */
public sealed interface TafelEvent {
  /** A text message. */
  record Text(String sender, byte[] messageId, Instant sentAt, String text) implements TafelEvent {}

  /** A {@code file} message: the blob to download and the key to decrypt it. */
  record File(String sender, byte[] messageId, Instant sentAt, FileMessage file)
      implements TafelEvent {}

  /** A message this client sent to {@code recipient} expired undelivered. */
  record Expired(byte[] messageId, String recipient) implements TafelEvent {}

  /** A call that was offered to this client and hung up (or expired) before it was answered. */
  record MissedCall(String caller, String callId) implements TafelEvent {}

  /** The session ended (e.g. {@code replaced}); nothing more will arrive. */
  record Ended(String reason) implements TafelEvent {}
}
