package org.tafel.protocol.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which Netty reports a buffer leak.
 *
 * <p>Sets {@link ResourceLeakDetector.Level#PARANOID} and installs a {@link
 * ResourceLeakDetectorFactory} whose detectors record leak reports in a queue instead of only
 * logging them. The factory is installed in a static initialiser, so register this extension
 * ({@code @ExtendWith(NettyLeakDetectorExtension.class)}) before any test code loads a buffer
 * class: Netty's buffer classes create their detectors once, when first loaded.
 *
 * <p>After each test it runs the garbage collector a few times and allocates buffers, which makes
 * the detectors drain their reference queues, then fails if anything was reported.
 */
public final class NettyLeakDetectorExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

  static {
    install();
  }

  /** Installs the recording factory and PARANOID level; idempotent. */
  public static void install() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    if (!(ResourceLeakDetectorFactory.instance() instanceof RecordingFactory)) {
      ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    install();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Leaks of earlier tests (or of class setup) were already checked after that test.
    collect();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> leaks = collect();
    if (!leaks.isEmpty()) {
      fail(
          leaks.size()
              + " Netty buffer leak(s) during "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n", leaks));
    }
  }

  /**
   * Forces leak detection and returns (and forgets) every leak reported since the last call. Usable
   * directly, e.g. from a test that checks the detector itself.
   */
  public static List<String> collect() {
    for (int round = 0; round < 5; round++) {
      System.gc();
      try {
        Thread.sleep(10); // let the reference handler enqueue cleared references
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      touch(ByteBufAllocator.DEFAULT);
      touch(PooledByteBufAllocator.DEFAULT);
      touch(UnpooledByteBufAllocator.DEFAULT);
    }
    List<String> out = new ArrayList<>();
    for (String leak; (leak = LEAKS.poll()) != null; ) {
      out.add(leak);
    }
    return out;
  }

  private static void touch(ByteBufAllocator allocator) {
    // Each tracked allocation drains the detector's reference queue and reports what it finds.
    ByteBuf heap = allocator.heapBuffer(1);
    heap.release();
    ByteBuf direct = allocator.directBuffer(1);
    direct.release();
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<?> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add("LEAK: " + resourceType + ".release() was not called:" + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add("LEAK: " + resourceType + ".release() was not called (no records)");
      super.reportUntracedLeak(resourceType);
    }
  }
}
