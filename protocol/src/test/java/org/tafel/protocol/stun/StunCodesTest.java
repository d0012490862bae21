package org.tafel.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StunCodesTest {

  @Test
  void encodesMethodAndClassAsRfc8489Figure3() {
    assertEquals(0x0001, StunMethod.messageType(StunMethod.BINDING, StunClass.REQUEST));
    assertEquals(0x0011, StunMethod.messageType(StunMethod.BINDING, StunClass.INDICATION));
    assertEquals(0x0101, StunMethod.messageType(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE));
    assertEquals(0x0111, StunMethod.messageType(StunMethod.BINDING, StunClass.ERROR_RESPONSE));
    assertEquals(0x0003, StunMethod.messageType(StunMethod.ALLOCATE, StunClass.REQUEST));
    assertEquals(0x0113, StunMethod.messageType(StunMethod.ALLOCATE, StunClass.ERROR_RESPONSE));
    assertEquals(0x0016, StunMethod.messageType(StunMethod.SEND, StunClass.INDICATION));
    assertEquals(0x0017, StunMethod.messageType(StunMethod.DATA, StunClass.INDICATION));
    assertEquals(
        0x0109, StunMethod.messageType(StunMethod.CHANNEL_BIND, StunClass.SUCCESS_RESPONSE));
    assertThrows(
        IllegalArgumentException.class, () -> StunMethod.messageType(0x1000, StunClass.REQUEST));
  }

  @Test
  void decodesEveryMethodAndClassBack() {
    for (int method = 0; method <= 0xFFF; method++) {
      for (StunClass cls : StunClass.values()) {
        int type = StunMethod.messageType(method, cls);
        assertTrue(type <= 0x3FFF);
        assertEquals(method, StunMethod.methodOf(type));
        assertEquals(cls, StunMethod.classOf(type));
      }
    }
  }

  @Test
  void namesMethodsAndAttributesAsTheRegistry() {
    assertEquals("CreatePermission", StunMethod.name(StunMethod.CREATE_PERMISSION));
    assertEquals("0x0FF", StunMethod.name(0xFF));
    assertEquals("XOR-RELAYED-ADDRESS", StunAttribute.name(StunAttribute.XOR_RELAYED_ADDRESS));
    assertEquals("0x7FFF", StunAttribute.name(0x7FFF));
    assertTrue(StunAttribute.isComprehensionRequired(StunAttribute.XOR_PEER_ADDRESS));
    assertFalse(StunAttribute.isComprehensionRequired(StunAttribute.SOFTWARE));
    assertEquals(0x802A, StunAttribute.ICE_CONTROLLING);
  }

  @Test
  void keepsUnknownErrorCodesAndReturnsConstantsForKnownOnes() {
    assertSame(StunErrorCode.STALE_NONCE, StunErrorCode.valueOf(438));
    assertEquals("Stale Nonce", StunErrorCode.valueOf(438).reason());
    assertEquals("Allocation Quota Reached", StunErrorCode.ALLOCATION_QUOTA_REACHED.reason());
    assertEquals(508, StunErrorCode.INSUFFICIENT_CAPACITY.code());
    StunErrorCode roleConflict = StunErrorCode.valueOf(487, "Role Conflict");
    assertEquals(487, roleConflict.code());
    assertEquals("Role Conflict", roleConflict.reason());
    assertEquals(4, roleConflict.errorClass());
    assertEquals(87, roleConflict.number());
    assertEquals(StunErrorCode.valueOf(499), StunErrorCode.valueOf(499, "other"));
    assertNotSame(StunErrorCode.FORBIDDEN, StunErrorCode.valueOf(403, "Nope"));
    assertEquals(StunErrorCode.FORBIDDEN, StunErrorCode.valueOf(403, "Nope"));
    assertThrows(IllegalArgumentException.class, () -> StunErrorCode.valueOf(200));
    assertThrows(IllegalArgumentException.class, () -> StunErrorCode.valueOf(700));
  }

  @Test
  void parseExceptionCarriesReasonAndExpectation() {
    StunParseException e =
        new StunParseException(StunParseException.Reason.BAD_LENGTH, "length 3 (expected: 4)");
    assertEquals(StunParseException.Reason.BAD_LENGTH, e.reason());
    assertTrue(e.getMessage().contains("expected: 4"));
    assertEquals(0, e.getStackTrace().length);
    for (StunParseException.Reason r : StunParseException.Reason.values()) {
      assertSame(StunParseException.of(r), StunParseException.of(r));
      assertTrue(StunParseException.of(r).getMessage().contains("expected"));
    }
  }
}
