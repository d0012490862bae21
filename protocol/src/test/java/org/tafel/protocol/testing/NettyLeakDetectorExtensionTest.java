package org.tafel.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakDetectorExtension.class)
class NettyLeakDetectorExtensionTest {

  @Test
  void runsAtParanoidLevel() {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
  }

  @Test
  void reportsABufferThatIsNeverReleased() {
    leakOneBuffer();
    // The extension's own check, as afterEach runs it; it also drains the queue, so this test
    // itself passes once the leak has been seen.
    List<String> leaks = NettyLeakDetectorExtension.collect();
    assertFalse(leaks.isEmpty(), "the deliberate leak was not reported");
    assertTrue(leaks.get(0).contains("release() was not called"), leaks.get(0));
    assertTrue(leaks.get(0).contains("leakOneBuffer"), "records name the leaking method");
  }

  @Test
  void reportsNothingWhenEveryBufferIsReleased() {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(16);
    buf.writeInt(42);
    assertTrue(buf.release());
    assertEquals(List.of(), NettyLeakDetectorExtension.collect());
  }

  private static void leakOneBuffer() {
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(64);
    buf.writeLong(1L); // touched, then dropped without release()
  }
}
