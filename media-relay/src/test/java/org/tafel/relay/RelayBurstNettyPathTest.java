package org.tafel.relay;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tafel.relay.transport.NativeUdp;

/**
 * {@link RelayBurstTest} on the Netty UDP path, which a relay takes where the native library does
 * not load (and always for IPv6 and TCP): the same bursts, in order, without drops.
 */
class RelayBurstNettyPathTest extends RelayBurstTest {
  @BeforeAll
  static void nettyPath() {
    System.setProperty(NativeUdp.PROPERTY, "false");
  }

  @AfterAll
  static void nativePathAgain() {
    System.clearProperty(NativeUdp.PROPERTY);
  }

  @Override
  String expectedDatapath() {
    return "Netty UDP: disabled by -D" + NativeUdp.PROPERTY + "=false";
  }
}
