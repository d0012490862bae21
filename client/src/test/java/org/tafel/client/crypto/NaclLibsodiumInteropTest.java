package org.tafel.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.client.testing.NodeScript;

/**
 * Boxes made here open in libsodium.js (npm libsodium-wrappers, run under Node), and boxes
 * libsodium.js makes open here: crypto_box_easy, crypto_secretbox_easy, crypto_box_seal, and the
 * chunked file format.
 */
class NaclLibsodiumInteropTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BROWSER = "BROWSER1";

  @Test
  void javaAndLibsodiumJsOpenEachOthersBoxes(@TempDir Path dir) throws Exception {
    SecureRandom random = new SecureRandom();
    KeyPair java = KeyPair.generate(random);
    // The JS side's secret key is made here so the Java-made boxes can be addressed to it.
    KeyPair js = KeyPair.generate(random);

    ObjectNode in = JSON.createObjectNode();
    in.put("javaPublicKey", HEX.formatHex(java.publicKey()));
    in.put("jsPublicKey", HEX.formatHex(js.publicKey()));
    in.put("jsSecretKey", HEX.formatHex(js.secretKeyBytes()));
    ArrayNode boxes = in.putArray("boxes");
    ArrayNode secretboxes = in.putArray("secretboxes");
    ArrayNode sealed = in.putArray("sealed");
    ArrayNode files = in.putArray("files");
    Box toJs = new Box(java, js.publicKey());
    for (int len : new int[] {0, 1, 131, 65_536, 100_000}) {
      byte[] m = new byte[len];
      random.nextBytes(m);
      byte[] nonce = new byte[Box.NONCE_BYTES];
      random.nextBytes(nonce);
      boxes
          .addObject()
          .put("label", "len " + len)
          .put("nonce", HEX.formatHex(nonce))
          .put("message", HEX.formatHex(m))
          .put("box", HEX.formatHex(toJs.seal(nonce, m)));
      byte[] key = new byte[SecretBox.KEY_BYTES];
      random.nextBytes(key);
      secretboxes
          .addObject()
          .put("label", "len " + len)
          .put("key", HEX.formatHex(key))
          .put("nonce", HEX.formatHex(nonce))
          .put("message", HEX.formatHex(m))
          .put("box", HEX.formatHex(new SecretBox(key).seal(nonce, m)));
      sealed
          .addObject()
          .put("label", "len " + len)
          .put("message", HEX.formatHex(m))
          .put("box", HEX.formatHex(SealedBox.seal(m, js.publicKey(), random)));
    }
    for (int len : new int[] {0, 10, ChunkedFileCipher.CHUNK_SIZE, 3 * 65_536 + 5}) {
      byte[] m = new byte[len];
      random.nextBytes(m);
      FileKey key = FileKey.generate(random);
      ByteArrayOutputStream ct = new ByteArrayOutputStream();
      ChunkedFileCipher.encrypt(new ByteArrayInputStream(m), ct, key);
      files
          .addObject()
          .put("label", "len " + len)
          .put("chunkSize", ChunkedFileCipher.CHUNK_SIZE)
          .put("key", HEX.formatHex(key.bytes()))
          .put("plaintext", HEX.formatHex(m))
          .put("ciphertext", HEX.formatHex(ct.toByteArray()));
    }

    // Sealed messages both ways: the browser client must reproduce the plaintext layout.
    Profile profile = Profile.create(dir.resolve("profile"), random);
    Instant now = Instant.now();
    MessageCrypto messages =
        new MessageCrypto(
            profile,
            new ReplayGuard(10),
            Clock.fixed(now, ZoneOffset.UTC),
            random,
            MessageCrypto.Limits.defaults());
    in.put("javaProfilePublicKey", HEX.formatHex(profile.publicKey()));
    ArrayNode sealedMessages = in.putArray("messages");
    for (MessageType type : new MessageType[] {MessageType.TEXT, MessageType.CALL_OFFER}) {
      byte[] body = ("Elternabend am Dienstag, " + type).getBytes(StandardCharsets.UTF_8);
      SealedMessage m = messages.seal(BROWSER, js.publicKey(), type, body);
      sealedMessages
          .addObject()
          .put("messageId", HEX.formatHex(m.messageId()))
          .put("nonce", HEX.formatHex(m.nonce()))
          .put("sentAtMillis", now.toEpochMilli())
          .put("type", type.wireName())
          .put("body", HEX.formatHex(body))
          .put("ciphertext", HEX.formatHex(m.ciphertext()));
    }

    Path inFile = dir.resolve("java-made.json");
    Path outFile = dir.resolve("js-made.json");
    JSON.writeValue(inFile.toFile(), in);
    NodeScript.run("nacl-interop.js", inFile.toString(), outFile.toString());

    JsonNode out = JSON.readTree(Files.readString(outFile));
    assertEquals(0, out.get("failures").size(), "libsodium.js refused: " + out.get("failures"));
    byte[] jsPk = HEX.parseHex(out.get("jsPublicKey").asText());
    Box fromJs = new Box(java, jsPk);
    int opened = 0;
    for (JsonNode b : out.get("boxes")) {
      byte[] nonce = HEX.parseHex(b.get("nonce").asText());
      byte[] box = HEX.parseHex(b.get("box").asText());
      assertArrayEquals(HEX.parseHex(b.get("message").asText()), fromJs.open(nonce, box));
      box[0] ^= 1;
      assertThrows(DecryptionFailedException.class, () -> fromJs.open(nonce, box));
      opened++;
    }
    for (JsonNode b : out.get("secretboxes")) {
      SecretBox sb = new SecretBox(HEX.parseHex(b.get("key").asText()));
      assertArrayEquals(
          HEX.parseHex(b.get("message").asText()),
          sb.open(HEX.parseHex(b.get("nonce").asText()), HEX.parseHex(b.get("box").asText())));
      opened++;
    }
    for (JsonNode b : out.get("sealed")) {
      assertArrayEquals(
          HEX.parseHex(b.get("message").asText()),
          SealedBox.open(HEX.parseHex(b.get("box").asText()), java));
      opened++;
    }
    assertTrue(opened == 9, "opened " + opened + " libsodium.js boxes (expected 9)");
    assertEquals(1, out.get("messages").size());
    for (JsonNode m : out.get("messages")) {
      OpenedMessage o =
          messages.open(
              new EnvelopeHeader(
                  HEX.parseHex(m.get("messageId").asText()),
                  BROWSER,
                  HEX.parseHex(m.get("nonce").asText()),
                  QueueClass.NORMAL),
              js.publicKey(),
              HEX.parseHex(m.get("ciphertext").asText()));
      assertEquals(MessageType.TEXT, o.type());
      assertEquals(m.get("sentAtMillis").asLong(), o.sentAt().toEpochMilli());
      assertEquals(m.get("body").asText(), HEX.formatHex(o.body()));
    }
  }
}
