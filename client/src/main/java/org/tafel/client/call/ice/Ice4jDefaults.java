package org.tafel.client.call.ice;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settings that must be in place before the first ice4j class loads: ice4j reads its configuration
 * once, through a singleton, merging system properties. Only properties the application left unset
 * are set.
 */
final class Ice4jDefaults {
  private static final String[][] PROPERTIES = {
    // The only mapping harvester on by default in ice4j 3.2: an HTTP PUT to 169.254.169.254 from
    // the first Agent. STUN mapping stays off while ice4j.harvest.mapping.stun.addresses is empty.
    {"ice4j.harvest.mapping.aws.enabled", "false"},
    {"ice4j.harvest.mapping.aws.force", "false"},
  };

  // Strong references: java.util.logging holds loggers weakly, and a collected logger forgets its
  // level. ice4j logs dozens of INFO records per call through java.util.logging.
  private static final Logger ICE4J_LOG = Logger.getLogger("org.ice4j");
  private static final Logger JITSI_LOG = Logger.getLogger("org.jitsi");

  static {
    for (String[] p : PROPERTIES) {
      if (System.getProperty(p[0]) == null) {
        System.setProperty(p[0], p[1]);
      }
    }
    if (ICE4J_LOG.getLevel() == null) {
      ICE4J_LOG.setLevel(Level.WARNING);
    }
    if (JITSI_LOG.getLevel() == null) {
      JITSI_LOG.setLevel(Level.WARNING);
    }
  }

  private Ice4jDefaults() {}

  /** Runs the static initialiser once; call before touching any ice4j class. */
  static void apply() {}
}
