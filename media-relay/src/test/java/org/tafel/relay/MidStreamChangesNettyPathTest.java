package org.tafel.relay;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link MidStreamChangesTest} on the Netty UDP path. */
@ExtendWith(NettyUdpPath.class)
class MidStreamChangesNettyPathTest extends MidStreamChangesTest {
  @Override
  String expectedDatapath() {
    return NettyUdpPath.DATAPATH;
  }
}
