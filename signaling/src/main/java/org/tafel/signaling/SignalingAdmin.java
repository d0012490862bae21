package org.tafel.signaling;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.tafel.signaling.store.Licence;
import org.tafel.signaling.store.SqliteStore;

/**
 * The operator's commands on a data directory's signaling store ({@code tafel admin ...}). Safe
 * while the server runs: SQLite serialises the writers (busy timeout), and the server reads
 * identities from the store at every login and send.
 */
public final class SignalingAdmin implements AutoCloseable {
  private final SqliteStore store;
  private final Clock clock;

  private SignalingAdmin(SqliteStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public static SignalingAdmin open(Path dataDir, Clock clock) {
    return new SignalingAdmin(SqliteStore.open(dataDir), clock);
  }

  public List<String> createLicences(int count) {
    if (count < 1 || count > 100_000) {
      throw new IllegalArgumentException("--count: " + count + " (expected: 1..100000)");
    }
    return store.createLicences(count, clock.millis());
  }

  public List<Licence> licences() {
    return store.listLicences();
  }

  /** False when no such code exists. */
  public boolean revokeLicence(String code) {
    return store.revokeLicence(code, clock.millis());
  }

  /** False when no active identity has this ID. */
  public boolean revokeIdentity(String id) {
    return store.revoke(id, clock.millis());
  }

  @Override
  public void close() {
    store.close();
  }
}
