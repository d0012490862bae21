package org.tafel.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tafel.protocol.testing.NettyLeakDetectorExtension;

/** Measures heap allocation of the relay's per-packet calls with the JVM's per-thread counter. */
@ExtendWith(NettyLeakDetectorExtension.class)
class HotPathAllocationTest {
  private static final int ROUNDS = 20_000;

  private final StunMessage message = new StunMessage();
  private final StunWriter writer = new StunWriter();
  private long sink;

  /**
   * A pooled buffer without a leak tracker: PARANOID tracking records a stack trace on every
   * access, which would dwarf what the codec itself allocates. Released by the test like any other.
   */
  private static ByteBuf untracked(boolean direct, int capacity) {
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    try {
      return direct
          ? PooledByteBufAllocator.DEFAULT.directBuffer(capacity)
          : PooledByteBufAllocator.DEFAULT.heapBuffer(capacity);
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
  }

  private static long allocatedBytes() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counter");
    return ((com.sun.management.ThreadMXBean) bean)
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void parsesFindsAndReadsXorPeerAddressWithoutAllocating() throws Exception {
    ByteBuf direct = untracked(true, 256);
    ByteBuf heap = untracked(false, 256);
    try {
      for (ByteBuf buf : new ByteBuf[] {direct, heap}) {
        writer
            .beginRandomTransaction(
                buf, StunMethod.messageType(StunMethod.SEND, StunClass.INDICATION))
            .addUint32(StunAttribute.XOR_PEER_ADDRESS, 0) // placeholder, replaced below
            .finish();
        buf.clear();
        writer
            .beginRandomTransaction(
                buf, StunMethod.messageType(StunMethod.SEND, StunClass.INDICATION))
            .addXorAddress(
                StunAttribute.XOR_PEER_ADDRESS,
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("203.0.113.9"), 5000))
            .addBytes(StunAttribute.DATA, new byte[100])
            .addFingerprint()
            .finish();
      }
      for (int i = 0; i < ROUNDS; i++) {
        relayStep(direct);
        relayStep(heap);
      }
      long before = allocatedBytes();
      for (int i = 0; i < ROUNDS; i++) {
        relayStep(direct);
        relayStep(heap);
      }
      long allocated = allocatedBytes() - before;
      // One object per packet would be >= 16 bytes each; allow JIT and counter noise below 1 byte.
      assertTrue(
          allocated < 2 * ROUNDS, allocated + " bytes allocated in " + 2 * ROUNDS + " packets");
      assertEquals(
          2L * 2 * ROUNDS * (5000 + 5000), sink, "every packet read port 5000 and 203.0.113.9");
    } finally {
      direct.release();
      heap.release();
    }
  }

  private void relayStep(ByteBuf buf) throws StunParseException {
    message.parse(buf);
    int peer = message.find(StunAttribute.XOR_PEER_ADDRESS);
    int data = message.find(StunAttribute.DATA);
    sink += message.readXorPort(peer) + (message.readXorIpv4(peer) == 0xCB007109 ? 5000 : 0);
    sink += message.attributeLength(data) == 100 ? 0 : 1;
  }

  @Test
  void reframesPayloadsWithoutAllocating() {
    ByteBuf buf = untracked(true, TurnFraming.DATA_INDICATION_HEADROOM + 104);
    byte[] ipv6 = new byte[16];
    try {
      for (int pass = 0; pass < 2; pass++) {
        long before = allocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
          buf.clear().writerIndex(TurnFraming.DATA_INDICATION_HEADROOM).writeZero(101);
          buf.readerIndex(TurnFraming.DATA_INDICATION_HEADROOM);
          TurnFraming.prependChannelDataHeader(buf, 0x4000);
          buf.readerIndex(TurnFraming.DATA_INDICATION_HEADROOM)
              .writerIndex(TurnFraming.DATA_INDICATION_HEADROOM + 101);
          TurnFraming.prependDataIndication(buf, 0x01020304, 9);
          buf.readerIndex(TurnFraming.DATA_INDICATION_HEADROOM)
              .writerIndex(TurnFraming.DATA_INDICATION_HEADROOM + 101);
          TurnFraming.prependDataIndication(buf, ipv6, 9);
          sink += TurnFraming.frameLength(buf, buf.readerIndex(), true);
        }
        long allocated = allocatedBytes() - before;
        if (pass == 1) {
          assertTrue(allocated < ROUNDS, allocated + " bytes allocated in " + ROUNDS + " rounds");
        }
      }
    } finally {
      buf.release();
    }
  }
}
