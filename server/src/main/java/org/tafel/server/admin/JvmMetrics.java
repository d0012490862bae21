package org.tafel.server.admin;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.tafel.protocol.metrics.MetricsRegistry;

/** JVM gauges: heap, direct memory (NIO buffer pool and Netty's own counter), threads, uptime. */
public final class JvmMetrics {
  private JvmMetrics() {}

  public static void register(MetricsRegistry registry) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    registry.gauge(
        "tafel_jvm_heap_used_bytes", "Heap in use.", () -> memory.getHeapMemoryUsage().getUsed());
    registry.gauge(
        "tafel_jvm_heap_max_bytes",
        "Largest heap the JVM may use (-Xmx).",
        () -> memory.getHeapMemoryUsage().getMax());
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct"))
            .findFirst()
            .orElse(null);
    if (direct != null) {
      registry.gauge(
          "tafel_jvm_direct_memory_used_bytes",
          "Direct memory in use, by who counts it.",
          direct::getMemoryUsed,
          "pool",
          "nio");
    }
    registry.gauge(
        "tafel_jvm_direct_memory_used_bytes",
        "Direct memory in use, by who counts it.",
        () -> Math.max(0, PlatformDependent.usedDirectMemory()),
        "pool",
        "netty");
    registry.gauge(
        "tafel_jvm_direct_memory_max_bytes",
        "Direct memory limit (-XX:MaxDirectMemorySize).",
        PlatformDependent::maxDirectMemory);
    registry.gauge(
        "tafel_jvm_threads", "Live threads.", ManagementFactory.getThreadMXBean()::getThreadCount);
    registry.gauge(
        "tafel_process_uptime_seconds",
        "Seconds since the JVM started.",
        () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
  }
}
