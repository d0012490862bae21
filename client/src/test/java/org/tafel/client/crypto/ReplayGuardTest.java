package org.tafel.client.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.crypto.MessageRejectedException.Reason;

class ReplayGuardTest {
  private static final String ALICE = "ALICE001";
  private static final String BOB = "BOB00002";
  private final SecureRandom random = new SecureRandom();

  private byte[] nonce() {
    byte[] n = new byte[24];
    random.nextBytes(n);
    return n;
  }

  private static Reason refused(ReplayGuard g, String contact, byte[] nonce, long t) {
    return assertThrows(MessageRejectedException.class, () -> g.accept(contact, nonce, t)).reason();
  }

  @Test
  void remembersAcceptedNoncesAcrossARestart(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("seen.bin");
    byte[] a = nonce();
    byte[] b = nonce();
    try (ReplayGuard g = ReplayGuard.persistent(journal, 100)) {
      g.accept(ALICE, a, 1_000);
      g.accept(BOB, b, 1_000);
      assertEquals(Reason.REPLAYED, refused(g, ALICE, a, 1_000));
    }
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));
    try (ReplayGuard g = ReplayGuard.persistent(journal, 100)) {
      assertEquals(Reason.REPLAYED, refused(g, ALICE, a, 1_000));
      assertEquals(Reason.REPLAYED, refused(g, BOB, b, 1_000));
      // The same nonce from another contact is another box.
      g.accept(BOB, a, 1_000);
    }
  }

  @Test
  void keepsTheFloorOfForgottenNoncesAcrossRestartsAndCompaction(@TempDir Path dir)
      throws Exception {
    Path journal = dir.resolve("seen.bin");
    byte[] first = nonce();
    try (ReplayGuard g = ReplayGuard.persistent(journal, 10)) {
      g.accept(ALICE, first, 1);
      // Enough to evict the first and to force several compactions (2 x 11 + 1000 records).
      for (int i = 2; i <= 3_000; i++) {
        g.accept(ALICE, nonce(), i);
      }
      assertEquals(10, g.remembered(ALICE));
      assertEquals(Reason.TOO_OLD, refused(g, ALICE, first, 1));
    }
    assertTrue(
        Files.size(journal) < 2_000L * ReplayGuard.RECORD,
        "journal compacted: " + Files.size(journal) + " bytes");
    try (ReplayGuard g = ReplayGuard.persistent(journal, 10)) {
      assertEquals(10, g.remembered(ALICE));
      assertEquals(Reason.TOO_OLD, refused(g, ALICE, first, 1));
      assertEquals(Reason.TOO_OLD, refused(g, ALICE, nonce(), 2_990));
      g.accept(ALICE, nonce(), 3_001);
    }
  }

  @Test
  void ignoresARecordTornByACrash(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("seen.bin");
    byte[] kept = nonce();
    try (ReplayGuard g = ReplayGuard.persistent(journal, 100)) {
      g.accept(ALICE, kept, 5);
    }
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[17]));
    }
    try (ReplayGuard g = ReplayGuard.persistent(journal, 100)) {
      assertEquals(Reason.REPLAYED, refused(g, ALICE, kept, 5));
      g.accept(ALICE, nonce(), 6);
    }
    assertEquals(2L * ReplayGuard.RECORD, Files.size(journal));
  }

  @Test
  void refusesTheNonceValueTheJournalReservesForFloors() {
    byte[] reserved = new byte[24];
    java.util.Arrays.fill(reserved, (byte) 0xff);
    assertEquals(Reason.MALFORMED, refused(new ReplayGuard(10), ALICE, reserved, 1));
  }

  @Test
  void aProfileKeepsItsReplayMemoryInSeenBin(@TempDir Path dir) throws Exception {
    Profile p = Profile.create(dir.resolve("p"), random);
    byte[] n = nonce();
    try (ReplayGuard g = p.openReplayGuard()) {
      g.accept(ALICE, n, 1);
    }
    try (ReplayGuard g = Profile.open(dir.resolve("p")).openReplayGuard()) {
      assertEquals(Reason.REPLAYED, refused(g, ALICE, n, 1));
    }
    assertTrue(Files.exists(dir.resolve("p").resolve(Profile.REPLAY_FILE)));
  }
}
