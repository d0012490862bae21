package org.tafel.relay;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tafel.relay.transport.NativeUdp;

/**
 * Runs a test class's relays on the Netty UDP path, which a relay takes where the native library
 * does not load (and always for IPv6 and TCP): {@code -Dtafel.relay.native=false} while the class
 * runs.
 */
final class NettyUdpPath implements BeforeAllCallback, AfterAllCallback {
  /** What the relay's start-up log names as its UDP path then. */
  static final String DATAPATH = "Netty UDP: disabled by -D" + NativeUdp.PROPERTY + "=false";

  @Override
  public void beforeAll(ExtensionContext context) {
    System.setProperty(NativeUdp.PROPERTY, "false");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    System.clearProperty(NativeUdp.PROPERTY);
  }
}
