package org.tafel.signaling.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.QueueClass;

/**
 * The embedded store: one SQLite file in WAL mode with {@code synchronous=FULL} (a commit is on
 * disk when it returns), a busy timeout (admin commands in another process wait rather than fail)
 * and {@code secure_delete} (deleted ciphertext is overwritten, not left in free pages).
 *
 * <p>Two connections: one for {@link #commit} (the group committer's thread) and one for everything
 * else; each is used under its own lock. Open one instance per process.
 */
public final class SqliteStore
    implements IdentityStore, LicenceStore, EnvelopeStore, AutoCloseable {
  public static final String FILE_NAME = "signaling.db";
  static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int SCHEMA_VERSION = 1;
  private static final String LICENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Path file;
  private final Connection batch;
  private final Connection other;
  private final Connection checkpointer;
  private final SecureRandom random = new SecureRandom();

  /** Statements of the commit path, prepared once on the batch connection (guarded by it). */
  private final Map<String, PreparedStatement> prepared = new java.util.HashMap<>();

  /** Identities found active in the current commit's transaction (cleared per commit). */
  private final Map<String, Boolean> activeInBatch = new java.util.HashMap<>();

  private SqliteStore(Path file, Connection batch, Connection other, Connection checkpointer) {
    this.file = file;
    this.batch = batch;
    this.other = other;
    this.checkpointer = checkpointer;
  }

  /** Opens (creating if needed) {@code DATA/signaling.db}. */
  public static SqliteStore open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      Connection batch = connect(file);
      try (Statement s = batch.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
      }
      migrate(batch);
      Connection other = connect(file);
      for (Connection c : new Connection[] {batch, other}) {
        try (Statement s = c.createStatement()) {
          // checkpoints run from their own connection (checkpoint()), not inside a commit
          s.execute("PRAGMA wal_autocheckpoint=0");
        }
      }
      return new SqliteStore(file, batch, other, connect(file));
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException(file + ": cannot be opened (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The durability settings each of the store's connections runs with, as SQLite reports them
   * ({@code synchronous}: 2 = FULL), so a test can pin them: a crash test cannot tell FULL from
   * NORMAL, because killing the process does not drop the page cache.
   */
  java.util.List<java.util.Map<String, String>> connectionPragmas() throws SQLException {
    java.util.List<java.util.Map<String, String>> all = new java.util.ArrayList<>();
    for (Connection c : new Connection[] {batch, other, checkpointer}) {
      java.util.Map<String, String> p = new java.util.TreeMap<>();
      try (Statement st = c.createStatement()) {
        for (String name : new String[] {"synchronous", "journal_mode", "busy_timeout"}) {
          try (ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            p.put(name, rs.next() ? rs.getString(1) : null);
          }
        }
      }
      all.add(p);
    }
    return all;
  }

  private static Connection connect(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
    // Autocommit stays on: the driver would otherwise begin the next transaction eagerly (holding
    // the write lock); transactions are explicit BEGIN IMMEDIATE ... COMMIT instead.
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  private static void migrate(Connection c) throws SQLException {
    begin(c);
    try (Statement s = c.createStatement()) {
      int version;
      try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      if (version > SCHEMA_VERSION) {
        throw new SQLException(
            "schema version " + version + " is newer than this build's " + SCHEMA_VERSION);
      }
      s.execute(
          "CREATE TABLE IF NOT EXISTS identities(id TEXT PRIMARY KEY, public_key BLOB,"
              + " licence TEXT, created INTEGER NOT NULL, revoked INTEGER)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS licences(code TEXT PRIMARY KEY, created INTEGER NOT NULL,"
              + " used_by TEXT, used_at INTEGER, revoked INTEGER)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS envelopes(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " recipient TEXT NOT NULL, message_id BLOB NOT NULL, sender TEXT NOT NULL,"
              + " queue INTEGER NOT NULL, nonce BLOB NOT NULL, box BLOB NOT NULL,"
              + " arrived INTEGER NOT NULL, expires INTEGER NOT NULL,"
              + " UNIQUE(recipient, message_id))");
      s.execute("CREATE INDEX IF NOT EXISTS envelopes_by_recipient ON envelopes(recipient, seq)");
      s.execute("CREATE INDEX IF NOT EXISTS envelopes_by_expiry ON envelopes(expires)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS receipts(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " owner TEXT NOT NULL, message_id BLOB NOT NULL, recipient TEXT NOT NULL,"
              + " expires INTEGER NOT NULL, UNIQUE(owner, message_id, recipient))");
      s.execute("CREATE INDEX IF NOT EXISTS receipts_by_expiry ON receipts(expires)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS findable(hash BLOB PRIMARY KEY, identity TEXT NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS findable_by_identity ON findable(identity)");
      s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
    } catch (SQLException e) {
      rollback(c);
      throw e;
    }
    commit(c);
  }

  /**
   * Copies committed pages from the WAL into the database file without blocking writers (a passive
   * checkpoint); the server runs it every second, so commits never pay for it. Returns the WAL
   * frames checkpointed.
   */
  public int checkpoint() {
    synchronized (checkpointer) {
      try (Statement s = checkpointer.createStatement();
          ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        return rs.next() ? rs.getInt(3) : 0;
      } catch (SQLException e) {
        return 0; // busy or closing: the next one catches up
      }
    }
  }

  // ---- envelopes ------------------------------------------------------------------------------

  @Override
  public List<Outcome> commit(List<Write> writes) {
    synchronized (batch) {
      activeInBatch.clear();
      try {
        begin(batch);
        List<Outcome> out = new ArrayList<>(writes.size());
        for (Write w : writes) {
          out.add(apply(w));
        }
        commit(batch);
        return out;
      } catch (SQLException | RuntimeException e) {
        rollback(batch);
        throw new StoreException("commit failed: " + e.getMessage(), e);
      }
    }
  }

  private Outcome apply(Write w) throws SQLException {
    if (w instanceof Insert i) {
      return insert(i);
    }
    if (w instanceof Delete d) {
      PreparedStatement del =
          batchStatement("DELETE FROM envelopes WHERE recipient=? AND message_id=?");
      del.setString(1, d.recipient());
      del.setBytes(2, d.messageId());
      return new Deleted(del.executeUpdate() > 0);
    }
    if (w instanceof DeleteReceipt d) {
      return new Deleted(
          update(
                  batch,
                  "DELETE FROM receipts WHERE owner=? AND message_id=? AND recipient=?",
                  d.owner(),
                  d.messageId(),
                  d.recipient())
              > 0);
    }
    if (w instanceof Expire e) {
      return expire(e);
    }
    throw new IllegalArgumentException(w.getClass().getName());
  }

  private PreparedStatement batchStatement(String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = batch.prepareStatement(sql);
      prepared.put(sql, ps);
    }
    return ps;
  }

  private boolean activeInBatch(String id) throws SQLException {
    Boolean known = activeInBatch.get(id);
    if (known == null) {
      PreparedStatement q =
          batchStatement("SELECT 1 FROM identities WHERE id=? AND revoked IS NULL");
      q.setString(1, id);
      try (ResultSet rs = q.executeQuery()) {
        known = rs.next();
      }
      activeInBatch.put(id, known);
    }
    return known;
  }

  private Outcome insert(Insert i) throws SQLException {
    if (!activeInBatch(i.sender())) {
      return new Refused(ErrorCode.REVOKED, null);
    }
    for (StoredEnvelope c : i.copies()) {
      if (!activeInBatch(c.recipient())) {
        return new Refused(ErrorCode.UNKNOWN_RECIPIENT, c.recipient());
      }
    }
    if (i.copies().get(0).queue() == QueueClass.NONE) {
      return new Inserted(i.copies());
    }
    PreparedStatement ins =
        batchStatement(
            "INSERT INTO envelopes(recipient, message_id, sender, queue, nonce, box, arrived,"
                + " expires) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(recipient, message_id) DO NOTHING"
                + " RETURNING seq");
    PreparedStatement owner =
        batchStatement("SELECT sender FROM envelopes WHERE recipient=? AND message_id=?");
    if (i.copies().size() > 1) {
      // all or nothing: find a conflict with another sender before inserting any copy
      for (StoredEnvelope c : i.copies()) {
        String existing = senderOf(owner, c);
        if (existing != null && !existing.equals(i.sender())) {
          return new Refused(ErrorCode.MESSAGE_ID_TAKEN, c.recipient());
        }
      }
    }
    List<StoredEnvelope> stored = new ArrayList<>(i.copies().size());
    for (StoredEnvelope c : i.copies()) {
      ins.setString(1, c.recipient());
      ins.setBytes(2, c.messageId());
      ins.setString(3, c.sender());
      ins.setInt(4, c.queue().code());
      ins.setBytes(5, c.nonce());
      ins.setBytes(6, c.box());
      ins.setLong(7, c.arrived());
      ins.setLong(8, c.expires());
      try (ResultSet rs = ins.executeQuery()) {
        if (rs.next()) {
          stored.add(c.withSeq(rs.getLong(1)));
          continue;
        }
      }
      // already queued: the sender's own retry is stored once; another sender's is refused
      String existing = senderOf(owner, c);
      if (existing != null && !existing.equals(i.sender())) {
        return new Refused(ErrorCode.MESSAGE_ID_TAKEN, c.recipient());
      }
    }
    return new Inserted(stored);
  }

  private static String senderOf(PreparedStatement owner, StoredEnvelope c) throws SQLException {
    owner.setString(1, c.recipient());
    owner.setBytes(2, c.messageId());
    try (ResultSet rs = owner.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private Outcome expire(Expire e) throws SQLException {
    List<StoredEnvelope> gone = new ArrayList<>();
    try (PreparedStatement q =
        batch.prepareStatement(
            "SELECT seq, recipient, message_id, sender, queue, arrived, expires FROM envelopes"
                + " WHERE expires<=? ORDER BY seq LIMIT ?")) {
      q.setLong(1, e.now());
      q.setInt(2, e.limit());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          gone.add(
              new StoredEnvelope(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getBytes(3),
                  rs.getString(4),
                  QueueClass.ofCode(rs.getInt(5)),
                  null,
                  null,
                  rs.getLong(6),
                  rs.getLong(7)));
        }
      }
    }
    List<Receipt> receipts = new ArrayList<>();
    try (PreparedStatement del = batch.prepareStatement("DELETE FROM envelopes WHERE seq=?");
        PreparedStatement rec =
            batch.prepareStatement(
                "INSERT OR IGNORE INTO receipts(owner, message_id, recipient, expires)"
                    + " VALUES(?,?,?,?)")) {
      for (StoredEnvelope g : gone) {
        del.setLong(1, g.seq());
        del.executeUpdate();
        if (activeInBatch(g.sender())) {
          rec.setString(1, g.sender());
          rec.setBytes(2, g.messageId());
          rec.setString(3, g.recipient());
          rec.setLong(4, e.receiptExpires());
          rec.executeUpdate();
          receipts.add(new Receipt(g.sender(), g.messageId(), g.recipient(), e.receiptExpires()));
        }
      }
    }
    update(batch, "DELETE FROM receipts WHERE expires<=?", e.now());
    return new Expired(gone, receipts);
  }

  @Override
  public List<StoredEnvelope> queued(String recipient, long afterSeq, long now, int limit) {
    synchronized (other) {
      try (PreparedStatement q =
          other.prepareStatement(
              "SELECT seq, message_id, sender, queue, nonce, box, arrived, expires FROM envelopes"
                  + " WHERE recipient=? AND seq>? AND expires>? ORDER BY seq LIMIT ?")) {
        q.setString(1, recipient);
        q.setLong(2, afterSeq);
        q.setLong(3, now);
        q.setInt(4, limit);
        List<StoredEnvelope> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            out.add(
                new StoredEnvelope(
                    rs.getLong(1),
                    recipient,
                    rs.getBytes(2),
                    rs.getString(3),
                    QueueClass.ofCode(rs.getInt(4)),
                    rs.getBytes(5),
                    rs.getBytes(6),
                    rs.getLong(7),
                    rs.getLong(8)));
          }
        }
        return out;
      } catch (SQLException e) {
        throw failed(other, "queued", e);
      }
    }
  }

  @Override
  public List<Receipt> receipts(String owner, long now, int limit) {
    synchronized (other) {
      try (PreparedStatement q =
          other.prepareStatement(
              "SELECT message_id, recipient, expires FROM receipts WHERE owner=? AND expires>?"
                  + " ORDER BY seq LIMIT ?")) {
        q.setString(1, owner);
        q.setLong(2, now);
        q.setInt(3, limit);
        List<Receipt> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            out.add(new Receipt(owner, rs.getBytes(1), rs.getString(2), rs.getLong(3)));
          }
        }
        return out;
      } catch (SQLException e) {
        throw failed(other, "receipts", e);
      }
    }
  }

  @Override
  public int depth(String recipient) {
    return (int) count("SELECT COUNT(*) FROM envelopes WHERE recipient=?", recipient);
  }

  @Override
  public long total() {
    return count("SELECT COUNT(*) FROM envelopes");
  }

  // ---- identities -----------------------------------------------------------------------------

  @Override
  public Registration register(String id, byte[] publicKey, String licence, long now) {
    synchronized (other) {
      try {
        begin(other);
        if (exists(other, "SELECT 1 FROM identities WHERE id=?", id)) {
          rollback(other);
          return null;
        }
        String code = null;
        if (licence != null) {
          code = canonicalLicence(licence);
          if (code == null
              || update(
                      other,
                      "UPDATE licences SET used_by=?, used_at=? WHERE code=? AND used_by IS NULL"
                          + " AND revoked IS NULL",
                      id,
                      now,
                      code)
                  != 1) {
            rollback(other);
            return new Registration(null, Refusal.BAD_LICENCE);
          }
        }
        update(
            other,
            "INSERT INTO identities(id, public_key, licence, created) VALUES(?,?,?,?)",
            id,
            publicKey,
            code,
            now);
        commit(other);
        return new Registration(new Identity(id, publicKey.clone(), now), null);
      } catch (SQLException e) {
        throw failed(other, "register", e);
      }
    }
  }

  @Override
  public Optional<Identity> find(String id) {
    synchronized (other) {
      try (PreparedStatement q =
          other.prepareStatement(
              "SELECT public_key, created FROM identities WHERE id=? AND revoked IS NULL")) {
        q.setString(1, id);
        Optional<Identity> out = Optional.empty();
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            out = Optional.of(new Identity(id, rs.getBytes(1), rs.getLong(2)));
          }
        }
        return out;
      } catch (SQLException e) {
        throw failed(other, "find", e);
      }
    }
  }

  @Override
  public boolean isRevoked(String id) {
    synchronized (other) {
      try {
        boolean r =
            exists(other, "SELECT 1 FROM identities WHERE id=? AND revoked IS NOT NULL", id);
        return r;
      } catch (SQLException e) {
        throw failed(other, "isRevoked", e);
      }
    }
  }

  @Override
  public boolean revoke(String id, long now) {
    synchronized (other) {
      try {
        begin(other);
        boolean done = revokeIdentity(id, now);
        commit(other);
        return done;
      } catch (SQLException e) {
        throw failed(other, "revoke", e);
      }
    }
  }

  private boolean revokeIdentity(String id, long now) throws SQLException {
    if (update(
            other,
            "UPDATE identities SET revoked=?, public_key=NULL WHERE id=? AND revoked IS NULL",
            now,
            id)
        != 1) {
      return false;
    }
    update(other, "DELETE FROM envelopes WHERE recipient=?", id);
    update(other, "DELETE FROM receipts WHERE owner=?", id);
    update(other, "DELETE FROM findable WHERE identity=?", id);
    return true;
  }

  @Override
  public void setFindable(String identity, List<byte[]> hashes) {
    synchronized (other) {
      try {
        begin(other);
        update(other, "DELETE FROM findable WHERE identity=?", identity);
        try (PreparedStatement ins =
            other.prepareStatement("INSERT OR REPLACE INTO findable(hash, identity) VALUES(?,?)")) {
          for (byte[] h : hashes) {
            ins.setBytes(1, h);
            ins.setString(2, identity);
            ins.executeUpdate();
          }
        }
        commit(other);
      } catch (SQLException e) {
        throw failed(other, "setFindable", e);
      }
    }
  }

  @Override
  public Map<String, String> findable() {
    synchronized (other) {
      try (Statement s = other.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT f.hash, f.identity FROM findable f JOIN identities i ON i.id=f.identity"
                      + " WHERE i.revoked IS NULL")) {
        Map<String, String> out = new LinkedHashMap<>();
        while (rs.next()) {
          out.put(HexFormat.of().formatHex(rs.getBytes(1)), rs.getString(2));
        }
        return out;
      } catch (SQLException e) {
        throw failed(other, "findable", e);
      }
    }
  }

  // ---- licences -------------------------------------------------------------------------------

  @Override
  public List<String> createLicences(int count, long now) {
    synchronized (other) {
      try {
        begin(other);
        List<String> codes = new ArrayList<>(count);
        try (PreparedStatement ins =
            other.prepareStatement("INSERT OR IGNORE INTO licences(code, created) VALUES(?,?)")) {
          while (codes.size() < count) {
            String code = newLicenceCode();
            ins.setString(1, code);
            ins.setLong(2, now);
            if (ins.executeUpdate() == 1) {
              codes.add(code);
            }
          }
        }
        commit(other);
        return codes;
      } catch (SQLException e) {
        throw failed(other, "createLicences", e);
      }
    }
  }

  @Override
  public List<Licence> listLicences() {
    synchronized (other) {
      try (Statement s = other.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT code, created, used_by, revoked FROM licences ORDER BY created, code")) {
        List<Licence> out = new ArrayList<>();
        while (rs.next()) {
          rs.getLong(4);
          boolean revoked = !rs.wasNull();
          out.add(new Licence(rs.getString(1), rs.getLong(2), rs.getString(3), revoked));
        }
        return out;
      } catch (SQLException e) {
        throw failed(other, "listLicences", e);
      }
    }
  }

  @Override
  public boolean revokeLicence(String code, long now) {
    String canonical = canonicalLicence(code);
    if (canonical == null) {
      return false;
    }
    synchronized (other) {
      try {
        begin(other);
        String usedBy = null;
        boolean found = false;
        try (PreparedStatement q =
            other.prepareStatement("SELECT used_by FROM licences WHERE code=?")) {
          q.setString(1, canonical);
          try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
              found = true;
              usedBy = rs.getString(1);
            }
          }
        }
        if (!found) {
          rollback(other);
          return false;
        }
        update(
            other,
            "UPDATE licences SET revoked=? WHERE code=? AND revoked IS NULL",
            now,
            canonical);
        if (usedBy != null) {
          revokeIdentity(usedBy, now);
        }
        commit(other);
        return true;
      } catch (SQLException e) {
        throw failed(other, "revokeLicence", e);
      }
    }
  }

  private String newLicenceCode() {
    StringBuilder sb = new StringBuilder(19);
    for (int i = 0; i < 16; i++) {
      if (i > 0 && i % 4 == 0) {
        sb.append('-');
      }
      sb.append(LICENCE_ALPHABET.charAt(random.nextInt(LICENCE_ALPHABET.length())));
    }
    return sb.toString();
  }

  /** {@code XXXX-XXXX-XXXX-XXXX} from any case, with or without separators; null if not a code. */
  static String canonicalLicence(String input) {
    StringBuilder sb = new StringBuilder(19);
    int n = 0;
    for (int i = 0; i < input.length(); i++) {
      char c = Character.toUpperCase(input.charAt(i));
      if (c == '-' || c == ' ') {
        continue;
      }
      if (LICENCE_ALPHABET.indexOf(c) < 0 || n == 16) {
        return null;
      }
      if (n > 0 && n % 4 == 0) {
        sb.append('-');
      }
      sb.append(c);
      n++;
    }
    return n == 16 ? sb.toString() : null;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      bind(q, args);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }

  private long count(String sql, Object... args) {
    synchronized (other) {
      try (PreparedStatement q = other.prepareStatement(sql)) {
        bind(q, args);
        long n;
        try (ResultSet rs = q.executeQuery()) {
          n = rs.next() ? rs.getLong(1) : 0;
        }
        return n;
      } catch (SQLException e) {
        throw failed(other, "count", e);
      }
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement u = c.prepareStatement(sql)) {
      bind(u, args);
      return u.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof byte[] b) {
        s.setBytes(i + 1, b);
      } else if (a instanceof Long l) {
        s.setLong(i + 1, l);
      } else if (a == null) {
        s.setNull(i + 1, java.sql.Types.NULL);
      } else {
        s.setString(i + 1, a.toString());
      }
    }
  }

  private static StoreException failed(Connection c, String what, SQLException e) {
    rollback(c);
    return new StoreException(what + " failed: " + e.getMessage(), e);
  }

  private static void begin(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
  }

  private static void commit(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("COMMIT");
    }
  }

  private static void rollback(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction open, or the connection is broken; the next use reports it
    }
  }

  @Override
  public void close() {
    synchronized (batch) {
      for (PreparedStatement ps : prepared.values()) {
        try {
          ps.close();
        } catch (SQLException ignored) {
          // closing
        }
      }
      prepared.clear();
    }
    synchronized (checkpointer) {
      try (Statement s = checkpointer.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (SQLException ignored) {
        // another process holds the database; its close or the next start checkpoints
      }
    }
    for (Connection c : new Connection[] {batch, other, checkpointer}) {
      synchronized (c) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing
        }
      }
    }
  }
}
