package org.tafel.bench.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunParseException;
import org.tafel.protocol.stun.StunWriter;
import org.tafel.protocol.stun.TurnCredentials;

/**
 * The control path's decode: a signed Allocate request with TURN REST credentials (the {@code
 * turn-rest-1} vector of {@code shared/vectors/turn-rest-api.json}: secret {@code logen}, user
 * {@code 1735689600:alice}, realm {@code example.org}), as a client sends it after the 401.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Dio.netty.leakDetection.level=disabled",
      "-Djmh.executor=CUSTOM",
      "-Djmh.executor.class=org.tafel.bench.NettyThreadExecutor",
      "-Xms512m",
      "-Xmx512m"
    })
public class StunDecodeBenchmark {
  static final String SECRET = "logen";
  static final String USERNAME = "1735689600:alice";
  static final String REALM = "example.org";
  static final String NONCE = "obMatJos2AAAAQbyJd5Yx8T3Z9Ua0C1sWmVvKpNq";
  private static final int ALLOCATE_REQUEST = 0x0003;
  private static final int UDP = 17;

  private final StunMessage message = new StunMessage();
  private byte[] key;
  private ByteBuf request;

  @Setup(Level.Trial)
  public void setUp() throws StunParseException {
    String password =
        TurnCredentials.restPassword(SECRET.getBytes(StandardCharsets.UTF_8), USERNAME);
    if (!"rEmk/xspd2/OODILONcuS9zIv78=".equals(password)) {
      throw new IllegalStateException("TURN REST password differs from the vector: " + password);
    }
    key = TurnCredentials.longTermKey(USERNAME, REALM, password);
    request = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    new StunWriter()
        .beginRandomTransaction(request, ALLOCATE_REQUEST)
        .addRequestedTransport(UDP)
        .addString(StunAttribute.USERNAME, USERNAME)
        .addString(StunAttribute.REALM, REALM)
        .addString(StunAttribute.NONCE, NONCE)
        .addMessageIntegrity(key)
        .addFingerprint()
        .finish();
    if (parseAndVerify() != 1) {
      throw new IllegalStateException("the signed Allocate does not verify");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    request.release();
  }

  /** Parse alone: header, attribute walk, MESSAGE-INTEGRITY and FINGERPRINT located. */
  @Benchmark
  public int parseOnly() throws StunParseException {
    message.parse(request);
    return message.attributeCount();
  }

  /** Parse, find USERNAME, verify MESSAGE-INTEGRITY (HMAC-SHA1) with the long-term key. */
  @Benchmark
  public int parseAndVerify() throws StunParseException {
    message.parse(request);
    int u = message.find(StunAttribute.USERNAME);
    if (u < 0) {
      return -1;
    }
    return message.verifyMessageIntegrity(key) ? 1 : 0;
  }

  /** As the relay's authenticator: USERNAME, REALM and NONCE read as strings, then the HMAC. */
  @Benchmark
  public int parseReadStringsAndVerify() throws StunParseException {
    message.parse(request);
    String username = message.readString(message.find(StunAttribute.USERNAME), 513);
    String realm = message.readString(message.find(StunAttribute.REALM), 763);
    String nonce = message.readString(message.find(StunAttribute.NONCE), 763);
    boolean ok = message.verifyMessageIntegrity(key);
    return (ok ? 1 : 0) + username.length() + realm.length() + nonce.length();
  }

  /** Parse, verify MESSAGE-INTEGRITY and FINGERPRINT. */
  @Benchmark
  public int parseVerifyAndFingerprint() throws StunParseException {
    message.parse(request);
    return (message.verifyMessageIntegrity(key) ? 1 : 0) + (message.verifyFingerprint() ? 2 : 0);
  }

  /** The long-term key derivation (MD5 of user:realm:password), for when it is not cached. */
  @Benchmark
  public byte[] longTermKey() {
    return TurnCredentials.longTermKey(
        USERNAME,
        REALM,
        TurnCredentials.restPassword(SECRET.getBytes(StandardCharsets.UTF_8), USERNAME));
  }
}
