package org.tafel.signaling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tafel.protocol.signaling.CloseCodes;
import org.tafel.protocol.signaling.ErrorCode;

/** docs/protocol.md documents every error code and close code the server can send. */
class ProtocolDocumentTest {

  @Test
  void everyErrorAndCloseCodeIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
    for (ErrorCode c : ErrorCode.values()) {
      assertTrue(
          doc.contains("| `" + c.wire() + "` |"), "docs/protocol.md lacks error " + c.wire());
    }
    for (int code :
        new int[] {
          CloseCodes.UNSUPPORTED_DATA,
          CloseCodes.MESSAGE_TOO_BIG,
          CloseCodes.REPLACED,
          CloseCodes.REVOKED,
          CloseCodes.IDLE,
          CloseCodes.LOGIN_TIMEOUT
        }) {
      assertTrue(doc.contains("| " + code + " |"), "docs/protocol.md lacks close code " + code);
    }
  }
}
