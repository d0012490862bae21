/**
 * A TLS certificate read from files and read again when they change (DESIGN.md §2: "a configured
 * certificate, reloaded when its file changes"), shared by every service with a TLS listener.
 */
package org.tafel.protocol.tls;
