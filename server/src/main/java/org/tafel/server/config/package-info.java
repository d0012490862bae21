/**
 * Configuration (DESIGN.md §2): one YAML file bound to immutable records, command-line flags
 * overriding its keys, secrets referenced as {@code secret://file/...} or {@code secret://env/...}
 * and generated into the data directory when missing. Every error names the key, the value and the
 * expectation. The keys are listed in docs/configuration.md.
 */
package org.tafel.server.config;
