package org.tafel.client.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded memory of the nonces accepted from each contact. A nonce seen before is a replay (or a
 * re-delivery). When a contact's memory is full the oldest entry is forgotten and its send time
 * becomes that contact's floor: a message sent at or before the floor is refused as too old to
 * check, so a forgotten nonce can never be replayed successfully.
 *
 * <p>{@link #persistent} keeps the memory in a journal of 40-byte records (contact ID, 8 ASCII
 * bytes; nonce, 24; send time, i64 ms) appended and synced before {@link MessageCrypto#open}
 * returns, so an acknowledged message is remembered across restarts and crashes. The journal is
 * rewritten compactly when it holds twice what is remembered; a torn last record is ignored.
 */
public final class ReplayGuard implements AutoCloseable {
  /** Default per-contact memory: far more than one contact sends within a queue's lifetime. */
  public static final int DEFAULT_PER_CONTACT = 10_000;

  static final int RECORD = 8 + 24 + 8;

  /** A record with this nonce carries a contact's floor (written by compaction). */
  private static final byte[] FLOOR_MARK = filled((byte) 0xff);

  private final int perContact;
  private final Map<String, Memory> contacts = new HashMap<>();
  private final Path journal;
  private FileChannel out;
  private long records;

  public ReplayGuard(int perContact) {
    this(perContact, null);
  }

  private ReplayGuard(int perContact, Path journal) {
    if (perContact < 1) {
      throw new IllegalArgumentException("perContact: " + perContact + " (expected: >= 1)");
    }
    this.perContact = perContact;
    this.journal = journal;
  }

  /** A guard whose memory lives in {@code journal} (created 0600 if missing). */
  public static ReplayGuard persistent(Path journal, int perContact) throws IOException {
    ReplayGuard g = new ReplayGuard(perContact, journal);
    if (Files.exists(journal)) {
      byte[] all = Files.readAllBytes(journal);
      int whole = all.length / RECORD * RECORD;
      ByteBuffer b = ByteBuffer.wrap(all, 0, whole);
      while (b.hasRemaining()) {
        byte[] id = new byte[8];
        byte[] nonce = new byte[24];
        b.get(id).get(nonce);
        long sentAt = b.getLong();
        String contact = new String(id, StandardCharsets.US_ASCII);
        if (java.util.Arrays.equals(nonce, FLOOR_MARK)) {
          Memory m = g.contacts.computeIfAbsent(contact, c -> new Memory());
          m.floorMillis = Math.max(m.floorMillis, sentAt);
        } else {
          g.remember(contact, nonce, sentAt);
        }
        g.records++;
      }
      if (whole != all.length) {
        // A crash tore the last append; that message was never acknowledged.
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
          ch.truncate(whole);
          ch.force(true);
        }
      }
    } else {
      Files.createFile(
          journal,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    g.out = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return g;
  }

  /**
   * Checks and records {@code nonce} from {@code contact}; {@code sentAtMillis} is the send time
   * inside the authenticated plaintext.
   */
  synchronized void accept(String contact, byte[] nonce, long sentAtMillis)
      throws MessageRejectedException {
    if (java.util.Arrays.equals(nonce, FLOOR_MARK)) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.MALFORMED, "reserved nonce value");
    }
    Memory m = contacts.get(contact);
    if (m != null && m.seen.containsKey(ByteBuffer.wrap(nonce))) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.REPLAYED, "nonce already accepted from this sender");
    }
    if (m != null && sentAtMillis <= m.floorMillis) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.TOO_OLD,
          "sent before the oldest message still remembered from this sender");
    }
    if (out != null) {
      append(contact, nonce, sentAtMillis);
    }
    remember(contact, nonce, sentAtMillis);
  }

  /** Nonces remembered for {@code contact}, for tests and metrics. */
  synchronized int remembered(String contact) {
    Memory m = contacts.get(contact);
    return m == null ? 0 : m.seen.size();
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  private void remember(String contact, byte[] nonce, long sentAtMillis) {
    Memory m = contacts.computeIfAbsent(contact, c -> new Memory());
    m.seen.put(ByteBuffer.wrap(nonce.clone()), sentAtMillis);
    while (m.seen.size() > perContact) {
      Map.Entry<ByteBuffer, Long> eldest = m.seen.entrySet().iterator().next();
      m.floorMillis = Math.max(m.floorMillis, eldest.getValue());
      m.seen.remove(eldest.getKey());
    }
  }

  private void append(String contact, byte[] nonce, long sentAtMillis) {
    try {
      out.write(record(contact, nonce, sentAtMillis));
      out.force(false);
      records++;
      long live = 0;
      for (Memory m : contacts.values()) {
        live += m.seen.size() + 1;
      }
      if (records > 2 * live + 1_000) {
        compact();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the replay journal " + journal, e);
    }
  }

  /** Rewrites the journal as each contact's floor and remembered nonces, then swaps it in. */
  private void compact() throws IOException {
    Path tmp =
        Files.createTempFile(
            journal.getParent(),
            ".seen-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    long written = 0;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      for (Map.Entry<String, Memory> e : contacts.entrySet()) {
        Memory m = e.getValue();
        if (m.floorMillis != Long.MIN_VALUE) {
          ch.write(record(e.getKey(), FLOOR_MARK, m.floorMillis));
          written++;
        }
        for (Map.Entry<ByteBuffer, Long> n : m.seen.entrySet()) {
          ch.write(record(e.getKey(), n.getKey().array(), n.getValue()));
          written++;
        }
      }
      ch.force(true);
    }
    out.close();
    try {
      Files.move(tmp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel dir = FileChannel.open(journal.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
    out = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    records = written;
  }

  private static ByteBuffer record(String contact, byte[] nonce, long sentAt) {
    byte[] id = contact.getBytes(StandardCharsets.US_ASCII);
    if (id.length != 8 || nonce.length != 24) {
      throw new IllegalArgumentException("contact ID of 8 characters and 24-byte nonce expected");
    }
    return ByteBuffer.allocate(RECORD).put(id).put(nonce).putLong(sentAt).flip();
  }

  private static byte[] filled(byte b) {
    byte[] n = new byte[24];
    java.util.Arrays.fill(n, b);
    return n;
  }

  private static final class Memory {
    final LinkedHashMap<ByteBuffer, Long> seen = new LinkedHashMap<>();
    long floorMillis = Long.MIN_VALUE;
  }
}
