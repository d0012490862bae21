/**
 * The Tafel server process: {@link org.tafel.server.Main} ({@code tafel serve}), the wiring of the
 * services of this build ({@link org.tafel.server.TafelServer}) and the start-up checks of
 * DESIGN.md §2 (ports in use, fixed heap).
 */
package org.tafel.server;
