package org.tafel.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAddressTest {
  @TempDir Path dir;

  private static ServerAddress of(String server) throws UsageException {
    return ServerAddress.resolve(server, null, null);
  }

  @Test
  void acceptsEveryFormOfTheContract() throws Exception {
    assertEquals(URI.create("ws://h.example:9000/v1/ws"), of("ws://h.example:9000").signaling());
    assertEquals(
        URI.create("ws://h.example:9000/v1/ws"), of("ws://h.example:9000/v1/ws").signaling());
    assertEquals(URI.create("wss://h.example:443/v1/ws"), of("wss://h.example:443/").signaling());
    assertEquals(URI.create("ws://h.example:9000/v1/ws"), of("http://h.example:9000").signaling());
    assertEquals(
        URI.create("wss://h.example:8443/v1/ws"), of("https://h.example:8443").signaling());
    assertEquals(URI.create("ws://10.0.0.5:8080/v1/ws"), of("10.0.0.5:8080").signaling());
    assertEquals(URI.create("ws://[::1]:8080/v1/ws"), of("[::1]:8080").signaling());
    assertEquals(URI.create("ws://h.example:8080/v1/ws"), of("h.example").signaling());
  }

  @Test
  void derivesTheBlobStoreFromTheSignalingPortPlusOne() throws Exception {
    assertEquals(URI.create("http://h.example:9001"), of("ws://h.example:9000").blob());
    assertEquals(URI.create("https://h.example:8444"), of("wss://h.example:8443").blob());
    assertEquals(
        URI.create("http://b.example:7000"),
        ServerAddress.resolve("h.example:1", "http://b.example:7000", null).blob());
  }

  @Test
  void defaultsToTheLocalServerOfPortsJsonElse8080() throws Exception {
    Path ports = dir.resolve("ports.json");
    ServerAddress none = ServerAddress.resolve(null, null, ports);
    assertEquals(URI.create("ws://127.0.0.1:8080/v1/ws"), none.signaling());
    assertEquals(URI.create("http://127.0.0.1:8081"), none.blob());
    Files.writeString(ports, "{\"admin\":1,\"turn\":2,\"signaling\":41000,\"blob\":42000}");
    ServerAddress local = ServerAddress.resolve(null, null, ports);
    assertEquals(URI.create("ws://127.0.0.1:41000/v1/ws"), local.signaling());
    assertEquals(URI.create("http://127.0.0.1:42000"), local.blob());
  }

  @Test
  void refusesOtherSchemesAndPaths() {
    assertThrows(UsageException.class, () -> of("ftp://h.example:21"));
    assertThrows(UsageException.class, () -> of("ws://h.example:80/other"));
  }

  @Test
  void printableEscapesLineBreaksAndDirectionOverrides() {
    assertEquals("a\\nb\\\\c\\u202ed", Cli.printable("a\nb\\c\u202ed"));
  }
}
