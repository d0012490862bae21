package org.tafel.server.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tafel.relay.RelayConfig;

class ConfigLoaderTest {
  private final Map<String, String> env = new java.util.HashMap<>();
  private final ConfigLoader loader = new ConfigLoader(new SecretResolver(env::get));

  private TafelConfig load(String yaml, String... flags) {
    return loader.loadText(yaml, CommandLine.parse(List.of(flags)).overlay());
  }

  private String error(String yaml, String... flags) {
    return assertThrows(ConfigException.class, () -> load(yaml, flags)).getMessage();
  }

  @Test
  void defaultsBindLoopbackWithTheDocumentedPorts() {
    TafelConfig c = load("");
    assertTrue(c.bind().isLoopbackAddress());
    assertTrue(c.admin().bind().isLoopbackAddress());
    assertEquals(3478, c.relay().turnPort());
    assertEquals(5349, c.relay().turnsPort());
    assertEquals(9090, c.admin().port());
    assertEquals(8080, c.signaling().port());
    assertEquals(8081, c.blob().port());
    assertEquals(Path.of("./data"), c.dataDir());
    assertEquals(Set.of(Service.values()), c.only());
    assertTrue(c.relay().needsGeneratedSecret());
  }

  @Test
  void blobExpiryKeysHaveTheDocumentedDefaultsAndAreChecked() {
    TafelConfig c = load("");
    assertEquals(java.time.Duration.ofDays(14), c.blob().defaultExpiry());
    assertEquals(java.time.Duration.ofDays(30), c.blob().maxExpiry());
    assertEquals(104857600L, c.blob().maxBytes());
    TafelConfig raised = load("blob:\n  max-expiry: 1440h\n", "--blob-max-bytes", "2000000000");
    assertEquals(java.time.Duration.ofDays(60), raised.blob().maxExpiry());
    assertEquals(2_000_000_000L, raised.blob().maxBytes());
    assertEquals(
        "blob.default-expiry: 1209600 (expected: at most blob.max-expiry, 3600)",
        error("", "--blob-max-expiry", "3600"));
  }

  @Test
  void blobLimitKeysHaveTheDocumentedDefaultsAndTheQuotaHoldsTheLargestBlob() {
    TafelConfig c = load("");
    assertEquals(5L << 30, c.blob().quotaBytes());
    assertEquals(60, c.blob().uploadsPerMinute());
    assertEquals(64, c.blob().concurrentUploads());
    assertEquals(java.time.Duration.ofSeconds(60), c.blob().idleTimeout());
    TafelConfig set =
        load(
            "blob:\n  quota-bytes: 200000000\n  uploads-per-minute: 5\n"
                + "  concurrent-uploads: 3\n  idle-timeout: 10s\n");
    assertEquals(200_000_000L, set.blob().quotaBytes());
    assertEquals(5, set.blob().uploadsPerMinute());
    assertEquals(3, set.blob().concurrentUploads());
    assertEquals(java.time.Duration.ofSeconds(10), set.blob().idleTimeout());
    // raising max-bytes alone raises the default quota with it
    assertEquals(
        10L << 30, load("", "--blob-max-bytes", String.valueOf(10L << 30)).blob().quotaBytes());
    assertEquals(
        "blob.quota-bytes: 1000 (expected: at least blob.max-bytes, 104857600)",
        error("blob:\n  quota-bytes: 1000\n"));
  }

  @Test
  void portOutOfRangeNamesKeyValueAndExpectation() {
    assertEquals(
        "relay.turn-port: 70000 (expected: 0..65535)", error("relay:\n  turn-port: 70000\n"));
    assertEquals("relay.turn-port: 70000 (expected: 0..65535)", error("", "--turn-port", "70000"));
    assertEquals("admin.port: -1 (expected: 0..65535)", error("", "--admin-port", "-1"));
    assertEquals(
        "relay.turns-port: x (expected: an integer -1..65535)", error("", "--turns-port", "x"));
  }

  @Test
  void badCidrNamesKeyAndValue() {
    String m = error("relay:\n  allow-peers: [10.0.0.0/33]\n");
    assertTrue(m.startsWith("relay.allow-peers: "), m);
    assertTrue(m.contains("10.0.0.0/33") && m.contains("expected"), m);
    String flag = error("", "--allow-peer", "not-a-cidr");
    assertTrue(flag.startsWith("relay.allow-peers: ") && flag.contains("not-a-cidr"), flag);
  }

  @Test
  void badRelayRangeNamesKeyValueAndExpectation() {
    assertEquals(
        "relay.relay-ports: 60000-50000 (expected: MIN-MAX with 1 <= MIN <= MAX <= 65535)",
        error("", "--relay-ports", "60000-50000"));
    assertEquals(
        "relay.relay-ports: 1000 (expected: MIN-MAX with 1 <= MIN <= MAX <= 65535)",
        error("relay:\n  relay-ports: '1000'\n"));
    assertEquals(
        "relay.relay-ports: 0-10 (expected: MIN-MAX with 1 <= MIN <= MAX <= 65535)",
        error("", "--relay-ports", "0-10"));
  }

  @Test
  void unknownYamlKeyIsRefusedByName() {
    String m = error("relay:\n  turn-prot: 3478\n");
    assertTrue(m.startsWith("relay.turn-prot: unknown key (expected: one of "), m);
    assertTrue(m.contains("turn-port"), m);
    assertTrue(error("colour: blue\n").startsWith("colour: unknown key"));
    assertTrue(error("relay:\n  limits:\n    lifetime: 5\n").startsWith("relay.limits.lifetime:"));
  }

  @Test
  void yamlSyntaxErrorsSayWhere() {
    String m = error("relay: [\n");
    assertTrue(m.startsWith("config: not valid YAML at line"), m);
  }

  @Test
  void flagsOverrideYamlKeys() {
    String yaml =
        "relay:\n  turn-port: 4000\n  realm: school\n  allow-peers: [10.0.0.0/8]\nadmin:\n  port: 9191\n";
    TafelConfig fromYaml = load(yaml);
    assertEquals(4000, fromYaml.relay().turnPort());
    assertEquals(9191, fromYaml.admin().port());
    TafelConfig c = load(yaml, "--turn-port", "5000", "--allow-peer", "127.0.0.0/8");
    assertEquals(5000, c.relay().turnPort());
    assertEquals("school", c.relay().realm());
    assertEquals(9191, c.admin().port());
    assertEquals(1, c.relay().allowPeers().size());
    assertTrue(c.relay().allowPeers().get(0).toString().startsWith("127.0.0.0/8"));
  }

  @Test
  void lifetimesAndLimitsComeFromFlags() {
    TafelConfig c =
        load(
            "",
            "--max-lifetime",
            "30",
            "--default-lifetime",
            "20",
            "--permission-lifetime",
            "10",
            "--channel-lifetime",
            "15",
            "--allocations-per-user",
            "2",
            "--allocations-total",
            "3",
            "--bandwidth",
            "1000");
    TafelConfig.Limits l = c.relay().limits();
    assertEquals(Duration.ofSeconds(30), l.maxLifetime());
    assertEquals(Duration.ofSeconds(20), l.defaultLifetime());
    assertEquals(Duration.ofSeconds(10), l.permissionLifetime());
    assertEquals(Duration.ofSeconds(15), l.channelLifetime());
    assertEquals(2, l.allocationsPerUser());
    assertEquals(3, l.allocationsTotal());
    assertEquals(1000, l.bandwidth());
    assertEquals(
        "relay.limits.default-lifetime: 600 (expected: at most relay.limits.max-lifetime, 30)",
        error("", "--max-lifetime", "30"));
  }

  @Test
  void onlyAcceptsKnownServices() {
    assertEquals(Set.of(Service.RELAY), load("", "--only", "relay").only());
    assertEquals(Set.of(Service.RELAY, Service.BLOB), load("", "--only", "relay,blob").only());
    assertEquals(
        "only: mail (expected: one of relay, signaling, blob)", error("", "--only", "relay,mail"));
  }

  @Test
  void bindingBeyondLoopbackNeedsTlsOrInsecure() {
    String m = error("", "--bind", "0.0.0.0");
    assertTrue(m.startsWith("bind: 0.0.0.0 is beyond loopback"), m);
    assertTrue(m.contains("--tls-cert") && m.contains("--insecure"), m);
    assertFalse(load("", "--bind", "0.0.0.0", "--insecure").bind().isLoopbackAddress());
    assertEquals(
        "bind: example.org (expected: an IPv4 or IPv6 address literal)",
        error("", "--bind", "example.org"));
  }

  @Test
  void tlsFilesMustBeReadable(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    assertEquals(
        "tls.private-key: " + dir.resolve("nope.pem") + " (expected: a readable PEM file)",
        error("", "--tls-cert", cert.toString(), "--tls-key", dir.resolve("nope.pem").toString()));
    TafelConfig c =
        load("", "--bind", "0.0.0.0", "--tls-cert", cert.toString(), "--tls-key", cert.toString());
    assertTrue(c.tls().isConfigured());
  }

  @Test
  void twoServicesOnOnePortAreRefused() {
    assertEquals(
        "admin.port: 3478 (expected: a port different from relay.turn-port)",
        error("", "--admin-port", "3478"));
  }

  @Test
  void literalSecretInYamlIsRefusedWithoutShowingIt() {
    String m = error("relay:\n  turn-secret: hunter2\n");
    assertFalse(m.contains("hunter2"), m);
    assertTrue(m.startsWith("relay.turn-secret: "), m);
    assertTrue(m.contains("secret://file/PATH or secret://env/NAME"), m);
  }

  @Test
  void envSecretReferenceResolves() {
    env.put("TAFEL_TURN_SECRET", "s3cret\n");
    TafelConfig c = load("relay:\n  turn-secret: secret://env/TAFEL_TURN_SECRET\n");
    assertArrayEquals(
        "s3cret".getBytes(StandardCharsets.UTF_8), c.relay().turnSecrets().get(0).value());
    assertFalse(c.relay().needsGeneratedSecret());
    assertEquals(
        "relay.turn-secret: secret://env/MISSING is not set (expected: a non-empty environment"
            + " variable MISSING)",
        error("relay:\n  turn-secret: secret://env/MISSING\n"));
  }

  @Test
  void fileSecretReferenceResolvesAndListsRotateNewestFirst(@TempDir Path dir) throws Exception {
    Path newest = Files.writeString(dir.resolve("new"), "newest\n");
    Path older = Files.writeString(dir.resolve("old"), "older");
    TafelConfig c =
        load(
            "relay:\n  turn-secret:\n    - secret://file"
                + newest
                + "\n    - secret://file"
                + older
                + "\n");
    List<Secret> secrets = c.relay().turnSecrets();
    assertEquals("newest", secrets.get(0).text());
    assertEquals("older", secrets.get(1).text());
    assertFalse(secrets.get(0).toString().contains("newest"));
    String missing = error("relay:\n  turn-secret: secret://file" + dir.resolve("none") + "\n");
    assertTrue(
        missing.startsWith("relay.turn-secret: secret://file" + dir.resolve("none")), missing);
    assertTrue(missing.endsWith("(expected: a readable file)"), missing);
  }

  @Test
  void turnSecretFileFlagReadsTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("s"), "from-file\n");
    TafelConfig c = load("", "--turn-secret-file", file.toString());
    assertEquals("from-file", c.relay().turnSecrets().get(0).text());
  }

  @Test
  void staticUsersComeFromYamlReferencesOrFlags() {
    env.put("ALICE_PW", "pw1");
    TafelConfig c =
        load("relay:\n  users:\n    - name: alice\n      password: secret://env/ALICE_PW\n");
    assertEquals("pw1", c.relay().users().get("alice").text());
    TafelConfig f = load("", "--user", "bob:pw2", "--user", "carol:pw:3");
    assertEquals("pw2", f.relay().users().get("bob").text());
    assertEquals("pw:3", f.relay().users().get("carol").text());
    assertFalse(f.relay().needsGeneratedSecret());
    assertTrue(
        error("relay:\n  users:\n    - name: alice\n      pasword: x\n")
            .startsWith("relay.users[0].pasword: unknown key"));
  }

  @Test
  void relayConfigProtectsTheOtherServicesPorts() {
    TafelConfig c = load("", "--turn-secret", "s3cret", "--signaling-port", "8088");
    RelayConfig r = c.toRelayConfig(c.relay().turnSecrets(), 41000);
    assertEquals(Set.of(41000, 8088, 8081), r.protectedPorts());
    assertEquals(3478, r.turnPort());
    assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), r.turnSecrets().get(0));
  }

  @Test
  void configFileIsReadFromDisk(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("tafel.yaml"), "relay:\n  realm: schule\n");
    TafelConfig c = loader.load(file, CommandLine.parse(List.of()).overlay());
    assertEquals("schule", c.relay().realm());
    String m =
        assertThrows(
                ConfigException.class,
                () -> loader.load(dir.resolve("none.yaml"), CommandLine.parse(List.of()).overlay()))
            .getMessage();
    assertTrue(m.startsWith("--config: " + dir.resolve("none.yaml")), m);
  }

  @Test
  void exampleConfigInDocsIsValid() throws Exception {
    Path example = Path.of("..", "docs", "tafel.example.yaml");
    env.put("TAFEL_TURN_SECRET", "example");
    TafelConfig c = loader.load(example, CommandLine.parse(List.of()).overlay());
    assertEquals(3478, c.relay().turnPort());
  }
}
