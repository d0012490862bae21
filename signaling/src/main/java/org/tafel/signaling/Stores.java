package org.tafel.signaling;

import org.tafel.signaling.store.EnvelopeStore;
import org.tafel.signaling.store.IdentityStore;
import org.tafel.signaling.store.SqliteStore;

/**
 * The stores a server uses, what to run every second beside them ({@code maintenance}), and how to
 * close them. {@link #sqlite} is the embedded default; tests wrap the envelope store to observe or
 * hold its commits.
 */
public record Stores(
    IdentityStore identities, EnvelopeStore envelopes, Runnable maintenance, AutoCloseable closer) {

  /** The embedded SQLite store; its maintenance is the WAL checkpoint. */
  public static Stores sqlite(SqliteStore store) {
    return new Stores(store, store, store::checkpoint, store);
  }
}
