/**
 * {@code tafel demo} (issue 5, must-show 1): a Tafel server started as its own process and two
 * teachers on the client SDK; one sends a generated worksheet PDF, the other receives it and checks
 * its hash, then they call each other through the relay and the statistics are printed.
 */
package org.tafel.server.demo;
