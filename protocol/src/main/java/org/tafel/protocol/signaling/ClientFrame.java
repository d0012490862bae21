package org.tafel.protocol.signaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Frames a client sends (docs/protocol.md). Each is a JSON object {@code {"type": ..., "id": ...,
 * ...}}; {@code id} is the client's request ID, echoed in the answer (optional). Byte fields are
 * standard base64 with padding. Constructors check lengths, so a decoded frame is well-formed.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ClientFrame.Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = ClientFrame.Register.class, name = "register"),
  @JsonSubTypes.Type(value = ClientFrame.Login.class, name = "login"),
  @JsonSubTypes.Type(value = ClientFrame.Send.class, name = "send"),
  @JsonSubTypes.Type(value = ClientFrame.Ack.class, name = "ack"),
  @JsonSubTypes.Type(value = ClientFrame.Lookup.class, name = "lookup"),
  @JsonSubTypes.Type(value = ClientFrame.TurnCredentials.class, name = "turn-credentials"),
  @JsonSubTypes.Type(value = ClientFrame.UploadToken.class, name = "upload-token"),
  @JsonSubTypes.Type(value = ClientFrame.Discover.class, name = "discover"),
  @JsonSubTypes.Type(value = ClientFrame.Findable.class, name = "findable"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientFrame {
  int MESSAGE_ID_BYTES = 16;
  int NONCE_BYTES = 24;
  int MAX_BOX_BYTES = 64 * 1024;

  /** The request ID, or null. */
  String id();

  /** First frame of every connection: protocol version and the client's ephemeral key. */
  record Hello(String id, int v, byte[] ephemeral) implements ClientFrame {
    public Hello {
      Checks.bytes("ephemeral", ephemeral, X25519.KEY_BYTES);
    }
  }

  /**
   * Creates an identity for {@code publicKey}; {@code mac} per {@link Handshake} with label {@code
   * tafel-register-v1}. {@code licence} in licence mode, {@code pow} in open mode.
   */
  record Register(String id, byte[] publicKey, String licence, Long pow, byte[] mac)
      implements ClientFrame {
    public Register {
      Checks.bytes("publicKey", publicKey, X25519.KEY_BYTES);
      Checks.bytes("mac", mac, Handshake.MAC_BYTES);
      if (licence != null && licence.length() > 64) {
        throw new IllegalArgumentException(
            "licence: " + licence.length() + " characters (expected: <= 64)");
      }
    }
  }

  /**
   * Logs in as {@code identity}; {@code mac} per {@link Handshake} with label {@code
   * tafel-login-v1}.
   */
  record Login(String id, String identity, byte[] mac) implements ClientFrame {
    public Login {
      Checks.identity("identity", identity);
      Checks.bytes("mac", mac, Handshake.MAC_BYTES);
    }
  }

  /** One box of a send: for recipient {@code to}, with its nonce. */
  record Recipient(String to, byte[] nonce, byte[] box) {
    public Recipient {
      Checks.identity("to", to);
      Checks.bytes("nonce", nonce, NONCE_BYTES);
      if (box == null || box.length == 0) {
        throw new IllegalArgumentException(
            "box: missing (expected: 1.." + MAX_BOX_BYTES + " bytes)");
      }
    }
  }

  /**
   * An envelope to one or more recipients. {@code ttl} (seconds) can only shorten the queue class's
   * lifetime.
   */
  record Send(String id, byte[] messageId, List<Recipient> recipients, QueueClass queue, Long ttl)
      implements ClientFrame {
    public Send {
      Checks.bytes("messageId", messageId, MESSAGE_ID_BYTES);
      if (recipients == null || recipients.isEmpty()) {
        throw new IllegalArgumentException("recipients: missing (expected: at least one)");
      }
      recipients = List.copyOf(recipients);
      for (int i = 0; i < recipients.size(); i++) {
        for (int j = 0; j < i; j++) {
          if (recipients.get(i).to().equals(recipients.get(j).to())) {
            throw new IllegalArgumentException("recipients: one ID twice (expected: each once)");
          }
        }
      }
      if (queue == null) {
        queue = QueueClass.NORMAL;
      }
      if (ttl != null && ttl <= 0) {
        throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0 seconds)");
      }
    }
  }

  /**
   * Acknowledges a {@code deliver} ({@code recipient} absent) or an {@code expired} receipt ({@code
   * recipient} as in the receipt); the server then deletes it.
   */
  record Ack(String id, byte[] messageId, String recipient) implements ClientFrame {
    public Ack {
      Checks.bytes("messageId", messageId, MESSAGE_ID_BYTES);
      if (recipient != null) {
        Checks.identity("recipient", recipient);
      }
    }
  }

  /** Directory: the public key of {@code identity}. */
  record Lookup(String id, String identity) implements ClientFrame {
    public Lookup {
      Checks.identity("identity", identity);
    }
  }

  /** Relay URLs and an ephemeral TURN username/password. */
  record TurnCredentials(String id) implements ClientFrame {}

  /** A {@code ut1} token for one blob-store upload of at most {@code cap} bytes. */
  record UploadToken(String id, long cap) implements ClientFrame {
    public UploadToken {
      if (cap <= 0) {
        throw new IllegalArgumentException("cap: " + cap + " (expected: > 0 bytes)");
      }
    }
  }

  /** Which of these probe hashes belong to findable identities. */
  record Discover(String id, List<byte[]> hashes) implements ClientFrame {
    public Discover {
      hashes = Checks.hashes(hashes);
    }
  }

  /** Replaces this identity's own findable hashes; an empty list makes it unfindable. */
  record Findable(String id, List<byte[]> hashes) implements ClientFrame {
    public Findable {
      hashes = Checks.hashes(hashes);
    }
  }
}
