/**
 * The command line behind {@code ./tafel id|send|send-file|receive|call|answer} (issue 5's contract
 * table, docs/client.md "Command line"): results on stdout, messages for people on stderr, exit
 * codes in {@link org.tafel.client.cli.ExitCode}.
 */
package org.tafel.client.cli;
