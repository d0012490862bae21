package org.tafel.relay;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RelayBurstTest} on the Netty UDP path: the same bursts, in order, without drops. */
@ExtendWith(NettyUdpPath.class)
class RelayBurstNettyPathTest extends RelayBurstTest {
  @Override
  String expectedDatapath() {
    return NettyUdpPath.DATAPATH;
  }

  @Override
  boolean segmentsRuns() {
    return false;
  }
}
