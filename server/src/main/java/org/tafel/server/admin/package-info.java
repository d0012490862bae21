/**
 * The admin HTTP port (DESIGN.md §2): {@code /healthz}, {@code /readyz} and {@code /metrics} in the
 * Prometheus text exposition format 0.0.4, on 127.0.0.1 unless {@code --admin-bind} says otherwise.
 */
package org.tafel.server.admin;
