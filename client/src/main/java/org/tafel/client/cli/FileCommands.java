package org.tafel.client.cli;

import java.nio.file.Path;
import java.util.List;
import org.tafel.client.TafelEvent;

/** {@code send-file} and saving received files (needs the blob client). */
final class FileCommands {
  private FileCommands() {}

  static int sendFile(Cli cli, List<String> args) throws Exception {
    throw new UsageException("send-file is not in this build");
  }

  static void receiveFile(Cli cli, ServerAddress address, TafelEvent.File f, Path dir) {
    cli.err().println("tafel: a file arrived but this build cannot download files");
  }
}
