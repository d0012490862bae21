package org.tafel.signaling.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.QueueClass;

/**
 * The store interfaces' semantics, on SQLite (a PostgreSQL or Redis implementation must pass the
 * same): all-or-nothing sends, idempotent retries, acks, expiry into receipts, revocation.
 */
class SqliteStoreTest {
  @TempDir Path dir;

  private static StoredEnvelope copy(String to, byte[] id, String from, long expires) {
    return new StoredEnvelope(
        0, to, id, from, QueueClass.NORMAL, new byte[24], new byte[] {7}, 1_000, expires);
  }

  private static byte[] id(int n) {
    byte[] b = new byte[16];
    b[15] = (byte) n;
    return b;
  }

  private static void identities(SqliteStore s, String... ids) {
    for (String i : ids) {
      assertTrue(s.register(i, new byte[32], null, 1).identity() != null);
    }
  }

  @Test
  void everyConnectionSyncsFullyInWalModeWithABusyTimeout() throws Exception {
    try (SqliteStore s = SqliteStore.open(dir)) {
      var pragmas = s.connectionPragmas();
      assertEquals(3, pragmas.size());
      for (var p : pragmas) {
        assertEquals("2", p.get("synchronous"), "synchronous=FULL " + p);
        assertEquals("wal", p.get("journal_mode"), p.toString());
        assertTrue(Integer.parseInt(p.get("busy_timeout")) > 0, p.toString());
      }
    }
  }

  @Test
  void sendIsAllOrNothingAndARetryIsStoredOnce() {
    try (SqliteStore s = SqliteStore.open(dir)) {
      identities(s, "AAAAAAAA", "BBBBBBBB", "CCCCCCCC");
      List<EnvelopeStore.Outcome> out =
          s.commit(
              List.of(
                  new EnvelopeStore.Insert(
                      "AAAAAAAA",
                      List.of(
                          copy("BBBBBBBB", id(1), "AAAAAAAA", 9_000),
                          copy("ZZZZZZZZ", id(1), "AAAAAAAA", 9_000))),
                  new EnvelopeStore.Insert(
                      "AAAAAAAA", List.of(copy("BBBBBBBB", id(2), "AAAAAAAA", 9_000))),
                  new EnvelopeStore.Insert(
                      "AAAAAAAA", List.of(copy("BBBBBBBB", id(2), "AAAAAAAA", 9_000))),
                  new EnvelopeStore.Insert(
                      "CCCCCCCC", List.of(copy("BBBBBBBB", id(2), "CCCCCCCC", 9_000)))));
      assertEquals(new EnvelopeStore.Refused(ErrorCode.UNKNOWN_RECIPIENT, "ZZZZZZZZ"), out.get(0));
      assertEquals(1, assertInstanceOf(EnvelopeStore.Inserted.class, out.get(1)).copies().size());
      assertEquals(0, assertInstanceOf(EnvelopeStore.Inserted.class, out.get(2)).copies().size());
      assertEquals(new EnvelopeStore.Refused(ErrorCode.MESSAGE_ID_TAKEN, "BBBBBBBB"), out.get(3));
      assertEquals(1, s.depth("BBBBBBBB"));
      assertArrayEquals(id(2), s.queued("BBBBBBBB", 0, 0, 10).get(0).messageId());
    }
  }

  @Test
  void committedEnvelopesSurviveReopeningAndAcksDeleteThem() {
    try (SqliteStore s = SqliteStore.open(dir)) {
      identities(s, "AAAAAAAA", "BBBBBBBB");
      for (int i = 0; i < 3; i++) {
        s.commit(
            List.of(
                new EnvelopeStore.Insert(
                    "AAAAAAAA", List.of(copy("BBBBBBBB", id(i), "AAAAAAAA", 9_000)))));
      }
    }
    try (SqliteStore s = SqliteStore.open(dir)) {
      List<StoredEnvelope> q = s.queued("BBBBBBBB", 0, 0, 10);
      assertEquals(3, q.size());
      assertTrue(q.get(0).seq() < q.get(1).seq() && q.get(1).seq() < q.get(2).seq());
      assertEquals(List.of(), s.queued("BBBBBBBB", q.get(2).seq(), 0, 10));
      List<EnvelopeStore.Outcome> out =
          s.commit(
              List.of(
                  new EnvelopeStore.Delete("BBBBBBBB", id(0)),
                  new EnvelopeStore.Delete("BBBBBBBB", id(0))));
      assertEquals(List.of(new EnvelopeStore.Deleted(true), new EnvelopeStore.Deleted(false)), out);
      assertEquals(2, s.total());
    }
  }

  @Test
  void expiryTurnsEnvelopesIntoReceiptsForActiveSenders() {
    try (SqliteStore s = SqliteStore.open(dir)) {
      identities(s, "AAAAAAAA", "BBBBBBBB");
      s.commit(
          List.of(
              new EnvelopeStore.Insert(
                  "AAAAAAAA", List.of(copy("BBBBBBBB", id(1), "AAAAAAAA", 5_000))),
              new EnvelopeStore.Insert(
                  "AAAAAAAA", List.of(copy("BBBBBBBB", id(2), "AAAAAAAA", 9_000)))));
      assertEquals(1, s.queued("BBBBBBBB", 0, 5_000, 10).size(), "expired is never handed out");
      EnvelopeStore.Expired ex =
          assertInstanceOf(
              EnvelopeStore.Expired.class,
              s.commit(List.of(new EnvelopeStore.Expire(5_000, 100_000, 100))).get(0));
      assertEquals(1, ex.envelopes().size());
      Receipt r = s.receipts("AAAAAAAA", 5_000, 10).get(0);
      assertArrayEquals(id(1), r.messageId());
      assertEquals("BBBBBBBB", r.recipient());
      s.commit(List.of(new EnvelopeStore.DeleteReceipt("AAAAAAAA", id(1), "BBBBBBBB")));
      assertEquals(List.of(), s.receipts("AAAAAAAA", 5_000, 10));
    }
  }

  @Test
  void revocationDeletesKeyQueueReceiptsAndFindableButKeepsTheId() {
    try (SqliteStore s = SqliteStore.open(dir)) {
      identities(s, "AAAAAAAA", "BBBBBBBB");
      s.commit(
          List.of(
              new EnvelopeStore.Insert(
                  "AAAAAAAA", List.of(copy("BBBBBBBB", id(1), "AAAAAAAA", 9_000)))));
      s.setFindable("BBBBBBBB", List.of(new byte[32]));
      assertTrue(s.revoke("BBBBBBBB", 2));
      assertEquals(0, s.total());
      assertTrue(s.find("BBBBBBBB").isEmpty());
      assertTrue(s.isRevoked("BBBBBBBB"));
      assertEquals(0, s.findable().size());
      assertNull(s.register("BBBBBBBB", new byte[32], null, 3), "a revoked ID is never reissued");
      assertEquals(
          new EnvelopeStore.Refused(ErrorCode.REVOKED, null),
          s.commit(
                  List.of(
                      new EnvelopeStore.Insert(
                          "BBBBBBBB", List.of(copy("AAAAAAAA", id(2), "BBBBBBBB", 9_000)))))
              .get(0));
    }
  }

  @Test
  void aSecondProcessWritesWhileTheServerHoldsTheStore() {
    try (SqliteStore server = SqliteStore.open(dir);
        SqliteStore admin = SqliteStore.open(dir)) {
      identities(server, "AAAAAAAA", "BBBBBBBB");
      List<String> codes = admin.createLicences(2, 1);
      assertEquals(
          "BBBBBBBB",
          server.register("CCCCCCCC", new byte[32], codes.get(0), 2) != null ? "BBBBBBBB" : "no");
      assertTrue(admin.revokeLicence(codes.get(0), 3));
      assertTrue(server.find("CCCCCCCC").isEmpty());
      assertEquals(
          IdentityStore.Refusal.BAD_LICENCE,
          server.register("DDDDDDDD", new byte[32], codes.get(0), 4).refusal());
    }
  }
}
