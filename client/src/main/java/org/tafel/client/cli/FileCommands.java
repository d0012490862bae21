package org.tafel.client.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tafel.client.TafelClient;
import org.tafel.client.TafelEvent;
import org.tafel.client.files.BlobClient;
import org.tafel.client.files.BlobException;
import org.tafel.client.files.ProgressBar;
import org.tafel.client.files.ReceivedFiles;

/** {@code send-file}, and saving the files {@code receive} gets. */
final class FileCommands {
  private FileCommands() {}

  static int sendFile(Cli cli, List<String> args) throws Exception {
    Args a = cli.parse(args, "--to");
    List<String> to = cli.recipients(a);
    if (a.positional.size() != 1) {
      throw new UsageException("expected: send-file --to ID[,ID...] FILE");
    }
    Path file = cli.workingDir().resolve(a.positional.get(0));
    if (!Files.isRegularFile(file)) {
      throw new UsageException(file + ": not a readable file");
    }
    ServerAddress address = cli.address(a);
    try (TafelClient c = TafelClient.open(cli.profileDir(a), Cli.options(address));
        BlobClient blob = new BlobClient(address.blob())) {
      TafelClient.SentFile s =
          c.sendFile(to, file, blob, ProgressBar.stderr("upload " + file.getFileName()));
      cli.err()
          .println(
              "tafel: sent "
                  + s.size()
                  + " bytes (sha256 "
                  + s.sha256()
                  + ") to "
                  + to.size()
                  + " recipient(s)");
      cli.out().println(s.blobId());
    } catch (BlobException e) {
      cli.err().println("tafel: the blob store refused the upload: " + e.getMessage());
      return ExitCode.FAILED;
    }
    return ExitCode.OK;
  }

  static void receiveFile(
      Cli cli, TafelClient c, ServerAddress address, TafelEvent.File f, Path dir) throws Exception {
    try (BlobClient blob = new BlobClient(address.blob())) {
      Path saved = c.receiveFile(f, blob, dir, ProgressBar.stderr("download " + f.file().blobId()));
      cli.out().println("file " + f.sender() + " " + saved + " sha256=" + f.file().sha256());
    } catch (BlobException | ReceivedFiles.FileCheckException e) {
      cli.err().println("tafel: a file from " + f.sender() + " was not saved: " + e.getMessage());
      cli.out().println("file-failed " + f.sender() + " " + f.file().blobId());
    }
  }
}
