/**
 * A tiny metrics registry rendering the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
 *
 * <p>One {@link org.tafel.protocol.metrics.MetricsRegistry} is created per process and passed to
 * whatever records metrics; there is no static default. Label values must come from a fixed, small
 * set of constants (a direction, a transport, an error code): identity IDs, pseudonyms, addresses,
 * blob IDs and other identifiers must never be labels (DESIGN.md §1). The registry refuses label
 * values longer than 64 characters or outside {@code [A-Za-z0-9_.-]} as a guard.
 */
package org.tafel.protocol.metrics;
