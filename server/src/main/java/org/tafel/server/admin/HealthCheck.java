package org.tafel.server.admin;

import java.util.List;

/** What {@code /healthz} and {@code /readyz} report: the services that are not running yet. */
@FunctionalInterface
public interface HealthCheck {
  /** Names of the started services that are not running; empty when all are. */
  List<String> notRunning();
}
