package org.tafel.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the signaling server and the blob store are. {@code --server} takes {@code ws://}, {@code
 * wss://}, {@code http://}, {@code https://} or a bare {@code host:port}; the {@code /v1/ws} path
 * is optional. Without it: the local server of {@code ./data/run/ports.json}, else {@code
 * 127.0.0.1:8080}. The blob store: {@code --blob-server}, else the blob port of {@code ports.json}
 * when the local server is used, else the same host with the signaling port + 1 (8080 → 8081, the
 * defaults of {@code tafel serve}); {@code http} beside {@code ws}, {@code https} beside {@code
 * wss}.
 */
public record ServerAddress(URI signaling, URI blob) {
  public static final int DEFAULT_PORT = 8080;

  public static ServerAddress resolve(String server, String blobServer, Path portsFile)
      throws UsageException {
    URI ws;
    URI blob = null;
    if (server == null) {
      int sig = DEFAULT_PORT;
      int blobPort = DEFAULT_PORT + 1;
      if (portsFile != null && Files.isRegularFile(portsFile)) {
        try {
          JsonNode n = new ObjectMapper().readTree(portsFile.toFile());
          if (n.hasNonNull("signaling")) {
            sig = n.get("signaling").asInt();
            blobPort = n.hasNonNull("blob") ? n.get("blob").asInt() : sig + 1;
          }
        } catch (IOException e) {
          throw new UsageException("cannot read " + portsFile + ": " + e.getMessage());
        }
      }
      ws = URI.create("ws://127.0.0.1:" + sig + "/v1/ws");
      blob = URI.create("http://127.0.0.1:" + blobPort);
    } else {
      ws = signaling(server);
    }
    if (blobServer != null) {
      blob = http(blobServer);
    } else if (blob == null) {
      String scheme = ws.getScheme().equals("wss") ? "https" : "http";
      blob = URI.create(scheme + "://" + hostPart(ws) + ":" + (ws.getPort() + 1));
    }
    return new ServerAddress(ws, blob);
  }

  static URI signaling(String s) throws UsageException {
    URI u = parse(s);
    String scheme =
        switch (u.getScheme()) {
          case "ws", "http" -> "ws";
          case "wss", "https" -> "wss";
          default ->
              throw new UsageException(
                  "--server: " + s + " (expected: ws://, wss://, http://, https:// or host:port)");
        };
    int port = u.getPort() > 0 ? u.getPort() : DEFAULT_PORT;
    String path =
        u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/")
            ? "/v1/ws"
            : u.getPath();
    if (!path.equals("/v1/ws")) {
      throw new UsageException("--server: path " + path + " (expected: none or /v1/ws)");
    }
    return URI.create(scheme + "://" + hostPart(u) + ":" + port + path);
  }

  static URI http(String s) throws UsageException {
    URI u = parse(s.contains("://") ? s : "http://" + s);
    if (!u.getScheme().equals("http") && !u.getScheme().equals("https")) {
      throw new UsageException("--blob-server: " + s + " (expected: http:// or https://)");
    }
    int port = u.getPort() > 0 ? u.getPort() : DEFAULT_PORT + 1;
    return URI.create(u.getScheme() + "://" + hostPart(u) + ":" + port);
  }

  private static URI parse(String s) throws UsageException {
    String withScheme = s.contains("://") ? s : "ws://" + s;
    try {
      URI u = new URI(withScheme);
      if (u.getHost() == null) {
        throw new UsageException("--server: " + s + " (expected: a host, e.g. 127.0.0.1:8080)");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new UsageException("--server: " + s + " (" + e.getReason() + ")");
    }
  }

  private static String hostPart(URI u) {
    String h = u.getHost();
    return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
  }
}
