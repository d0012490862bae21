package org.tafel.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.crypto.MessageRejectedException.Reason;
import org.tafel.client.testing.ManualClock;

class MessageCryptoTest {
  private static final String ALICE = "ALICE001";
  private static final String BOB = "BOB00002";
  private static final byte[] HELLO = "Arbeitsblatt 3 bis Freitag".getBytes(StandardCharsets.UTF_8);

  private final SecureRandom random = new SecureRandom();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-09-01T08:00:00Z"));
  private Profile alice;
  private Profile bob;
  private MessageCrypto aliceCrypto;
  private MessageCrypto bobCrypto;

  @BeforeEach
  void profiles(@TempDir Path dir) throws Exception {
    alice = Profile.create(dir.resolve("alice"), random);
    bob = Profile.create(dir.resolve("bob"), random);
    aliceCrypto = crypto(alice, 100);
    bobCrypto = crypto(bob, 100);
  }

  private MessageCrypto crypto(Profile p, int memory) {
    return new MessageCrypto(
        p, new ReplayGuard(memory), clock, random, MessageCrypto.Limits.defaults());
  }

  private static EnvelopeHeader header(SealedMessage s, String sender) {
    return new EnvelopeHeader(s.messageId(), sender, s.nonce(), s.queueClass());
  }

  @Test
  void bobOpensWhatAliceSealedWithIdTypeAndSendTime() throws Exception {
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    assertEquals(16, s.messageId().length);
    assertEquals(QueueClass.NORMAL, s.queueClass());
    assertEquals(0, (s.ciphertext().length - Box.MAC_BYTES) % MessageCrypto.PAD_TO);

    OpenedMessage m = bobCrypto.open(header(s, ALICE), alice.publicKey(), s.ciphertext());
    assertArrayEquals(HELLO, m.body());
    assertArrayEquals(s.messageId(), m.messageId());
    assertEquals(MessageType.TEXT, m.type());
    assertEquals(clock.instant(), m.sentAt());
    assertEquals(ALICE, m.senderId());
  }

  @Test
  void refusesTheSameBoxDeliveredUnderANewMessageId() throws Exception {
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    byte[] otherId = s.messageId().clone();
    otherId[0] ^= 1;
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () ->
                bobCrypto.open(
                    new EnvelopeHeader(otherId, ALICE, s.nonce(), s.queueClass()),
                    alice.publicKey(),
                    s.ciphertext()));
    assertEquals(Reason.ID_MISMATCH, e.reason());
  }

  @Test
  void refusesAReplayedNonceAndReportsItAsReplayed() throws Exception {
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    bobCrypto.open(header(s, ALICE), alice.publicKey(), s.ciphertext());
    clock.advance(Duration.ofDays(3));
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> bobCrypto.open(header(s, ALICE), alice.publicKey(), s.ciphertext()));
    assertEquals(Reason.REPLAYED, e.reason());
  }

  @Test
  void refusesMessagesOlderThanTheReplayMemoryOnceItOverflows() throws Exception {
    MessageCrypto bobSmall = crypto(bob, 3);
    SealedMessage first = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    bobSmall.open(header(first, ALICE), alice.publicKey(), first.ciphertext());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(1));
      SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
      bobSmall.open(header(s, ALICE), alice.publicKey(), s.ciphertext());
    }
    // The first nonce is forgotten, but its send time is at the floor: still refused.
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> bobSmall.open(header(first, ALICE), alice.publicKey(), first.ciphertext()));
    assertEquals(Reason.TOO_OLD, e.reason());
  }

  @Test
  void refusesACallOfferMovedIntoTheNormalQueue() throws Exception {
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.CALL_OFFER, HELLO);
    assertEquals(QueueClass.SHORT_LIVED, s.queueClass());
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () ->
                bobCrypto.open(
                    new EnvelopeHeader(s.messageId(), ALICE, s.nonce(), QueueClass.NORMAL),
                    alice.publicKey(),
                    s.ciphertext()));
    assertEquals(Reason.WRONG_QUEUE_CLASS, e.reason());
  }

  @Test
  void refusesACallOfferOlderThanSixtySecondsPlusSkew() throws Exception {
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.CALL_OFFER, HELLO);
    clock.advance(Duration.ofSeconds(60).plus(Duration.ofMinutes(5)).plusMillis(1));
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> bobCrypto.open(header(s, ALICE), alice.publicKey(), s.ciphertext()));
    assertEquals(Reason.TOO_OLD, e.reason());
  }

  @Test
  void acceptsATextMessageWeeksLaterButNotFromTheFuture() throws Exception {
    SealedMessage old = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    clock.advance(Duration.ofDays(29));
    bobCrypto.open(header(old, ALICE), alice.publicKey(), old.ciphertext());

    clock.advance(Duration.ofMinutes(6));
    SealedMessage future = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    clock.advance(Duration.ofMinutes(-12));
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> bobCrypto.open(header(future, ALICE), alice.publicKey(), future.ciphertext()));
    assertEquals(Reason.FROM_THE_FUTURE, e.reason());
  }

  @Test
  void refusesABoxThatOpensOnlyWithAnotherSendersKey() throws Exception {
    Profile mallory = Profile.create(bob.directory().resolveSibling("mallory"), random);
    SealedMessage s = crypto(mallory, 10).seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    // The server claims the envelope is from Alice; Bob has Alice's key pinned.
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> bobCrypto.open(header(s, ALICE), alice.publicKey(), s.ciphertext()));
    assertEquals(Reason.BAD_CIPHERTEXT, e.reason());
  }

  @Test
  void refusesATamperedCiphertext() throws Exception {
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    byte[] ct = s.ciphertext();
    ct[ct.length / 2] ^= 4;
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> bobCrypto.open(header(s, ALICE), alice.publicKey(), ct));
    assertEquals(Reason.BAD_CIPHERTEXT, e.reason());
  }

  @Test
  void refusesASenderKeyThatDiffersFromThePinUntilAccepted() throws Exception {
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    bobCrypto.open(header(s, ALICE), alice.publicKey(), s.ciphertext());

    Profile newAlice = Profile.create(bob.directory().resolveSibling("alice2"), random);
    SealedMessage s2 = crypto(newAlice, 10).seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    KeyChangedException e =
        assertThrows(
            KeyChangedException.class,
            () -> bobCrypto.open(header(s2, ALICE), newAlice.publicKey(), s2.ciphertext()));
    assertEquals("contact " + ALICE, e.subject());
    assertEquals(alice.fingerprint(), e.pinnedFingerprint());
    assertEquals(newAlice.fingerprint(), e.offeredFingerprint());
    assertTrue(e.getMessage().contains("refused until accepted"), e.getMessage());

    bob.acceptContactKey(ALICE, newAlice.publicKey());
    assertArrayEquals(
        HELLO, bobCrypto.open(header(s2, ALICE), newAlice.publicKey(), s2.ciphertext()).body());
  }

  @Test
  void refusesToSealToARecipientWhoseKeyChanged() throws Exception {
    aliceCrypto.seal(BOB, bob.publicKey(), MessageType.TEXT, HELLO);
    byte[] other = KeyPair.generate(random).publicKey();
    assertThrows(
        KeyChangedException.class, () -> aliceCrypto.seal(BOB, other, MessageType.TEXT, HELLO));
  }

  @Test
  void sealsTheLargestBodyWithinSixtyFourKibAndRefusesOneByteMore() throws Exception {
    int max = MessageCrypto.maxBody("file".length());
    SealedMessage s = aliceCrypto.seal(BOB, bob.publicKey(), MessageType.FILE, new byte[max]);
    assertTrue(s.ciphertext().length <= MessageCrypto.MAX_CIPHERTEXT, "" + s.ciphertext().length);
    assertEquals(
        max, bobCrypto.open(header(s, ALICE), alice.publicKey(), s.ciphertext()).body().length);
    assertThrows(
        IllegalArgumentException.class,
        () -> aliceCrypto.seal(BOB, bob.publicKey(), MessageType.FILE, new byte[max + 1]));
  }

  @Test
  void sealsOneMessageIdForEveryRecipientWithItsOwnNonce() throws Exception {
    Profile carol = Profile.create(bob.directory().resolveSibling("carol"), random);
    java.util.Map<String, SealedMessage> all =
        aliceCrypto.sealForAll(
            java.util.List.of(
                new MessageCrypto.Recipient(BOB, bob.publicKey()),
                new MessageCrypto.Recipient("CAROL003", carol.publicKey())),
            MessageType.FILE,
            HELLO);
    assertEquals(java.util.List.of(BOB, "CAROL003"), java.util.List.copyOf(all.keySet()));
    SealedMessage toBob = all.get(BOB);
    SealedMessage toCarol = all.get("CAROL003");
    assertArrayEquals(toBob.messageId(), toCarol.messageId());
    assertTrue(!java.util.Arrays.equals(toBob.nonce(), toCarol.nonce()));
    assertArrayEquals(
        HELLO, bobCrypto.open(header(toBob, ALICE), alice.publicKey(), toBob.ciphertext()).body());
    assertArrayEquals(
        HELLO,
        crypto(carol, 10)
            .open(header(toCarol, ALICE), alice.publicKey(), toCarol.ciphertext())
            .body());
    // Carol's box is not Bob's to open.
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> bobCrypto.open(header(toCarol, ALICE), alice.publicKey(), toCarol.ciphertext()));
    assertEquals(Reason.BAD_CIPHERTEXT, e.reason());
  }
}
