package org.tafel.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.protocol.stun.StunWriter;
import org.tafel.protocol.stun.TurnCredentials;

/**
 * A deliberately small TURN client over a real UDP socket, able to send requests a well-behaved
 * client never would. Responses are decoded with the protocol codec into a {@link Response}.
 */
public final class RawTurnClient implements AutoCloseable {
  /** A decoded response: class, error code (0 on success), and the raw bytes. */
  public record Response(StunClass cls, int method, int errorCode, byte[] raw) {
    StunMessage parse(ByteBuf holder) throws Exception {
      StunMessage m = new StunMessage();
      m.parse(holder);
      return m;
    }

    public String string(int type) throws Exception {
      ByteBuf b = Unpooled.wrappedBuffer(raw);
      StunMessage m = new StunMessage();
      m.parse(b);
      int i = m.find(type);
      return i < 0 ? null : m.readString(i, 1024);
    }

    public InetSocketAddress xorAddress(int type) throws Exception {
      ByteBuf b = Unpooled.wrappedBuffer(raw);
      StunMessage m = new StunMessage();
      m.parse(b);
      int i = m.find(type);
      return i < 0 ? null : m.readXorAddress(i);
    }

    public boolean has(int type) throws Exception {
      ByteBuf b = Unpooled.wrappedBuffer(raw);
      StunMessage m = new StunMessage();
      m.parse(b);
      return m.find(type) >= 0;
    }
  }

  /** The UDP socket; null for a client over TCP ({@link #overTcp}). */
  public final DatagramSocket socket;

  /** The TCP connection of a client made with {@link #overTcp}, else null. */
  public final Socket stream;

  final InetSocketAddress server;
  String username;
  String password;
  String realm = RelayFixture.REALM;
  String nonce;

  public RawTurnClient(int serverPort) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    socket.setSoTimeout(3000);
    stream = null;
    server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
  }

  private RawTurnClient(Socket stream, InetSocketAddress server) throws IOException {
    this.socket = null;
    this.stream = stream;
    this.server = server;
    stream.setSoTimeout(3000);
  }

  /**
   * A client over TCP (RFC 8656 §3.1): requests and responses are framed on the stream. {@code
   * receiveBuffer} is set before connecting (0: the default), so a test can make the stream back up
   * early.
   */
  public static RawTurnClient overTcp(int serverPort, int receiveBuffer) throws IOException {
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(server, 3000);
    return new RawTurnClient(s, server);
  }

  /**
   * A client over TLS (RFC 8656 §3.1) to {@code tlsPort}; it trusts any certificate (the relay's
   * development certificate is self-signed).
   */
  public static RawTurnClient overTls(int tlsPort) throws Exception {
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
    Socket s = ctx.getSocketFactory().createSocket(server.getAddress(), tlsPort);
    return new RawTurnClient(s, server);
  }

  /** Test-only trust manager for {@link #overTls}. */
  private static final class TrustAll implements javax.net.ssl.X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }

  /** TURN REST credentials from the shared secret, valid for an hour. */
  public RawTurnClient restUser(String secret, String name) {
    username = (System.currentTimeMillis() / 1000 + 3600) + ":" + name;
    password = TurnCredentials.restPassword(secret.getBytes(StandardCharsets.UTF_8), username);
    return this;
  }

  public RawTurnClient staticUser(String name, String pass) {
    username = name;
    password = pass;
    return this;
  }

  public void sendRaw(byte[] bytes) throws IOException {
    if (stream != null) {
      stream.getOutputStream().write(bytes);
      return;
    }
    socket.send(new DatagramPacket(bytes, bytes.length, server));
  }

  /** Builds a message; {@code signed} adds USERNAME, REALM, NONCE, MESSAGE-INTEGRITY. */
  public byte[] build(int method, StunClass cls, boolean signed, Consumer<StunWriter> body) {
    ByteBuf out = Unpooled.buffer(1500);
    StunWriter w =
        new StunWriter().beginRandomTransaction(out, StunMethod.messageType(method, cls));
    body.accept(w);
    if (signed) {
      w.addString(StunAttribute.USERNAME, username)
          .addString(StunAttribute.REALM, realm)
          .addString(StunAttribute.NONCE, nonce);
      w.addMessageIntegrity(TurnCredentials.longTermKey(username, realm, password));
    }
    w.addFingerprint();
    w.finish();
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  public Response receive() throws Exception {
    byte[] raw;
    if (stream != null) {
      DataInputStream in = new DataInputStream(stream.getInputStream());
      byte[] header = new byte[20];
      in.readFully(header);
      int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      raw = java.util.Arrays.copyOf(header, 20 + length);
      in.readFully(raw, 20, length);
    } else {
      byte[] buf = new byte[65536];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      socket.receive(p);
      raw = java.util.Arrays.copyOf(buf, p.getLength());
    }
    ByteBuf b = Unpooled.wrappedBuffer(raw);
    StunMessage m = new StunMessage();
    m.parse(b);
    int code = 0;
    int e = m.find(StunAttribute.ERROR_CODE);
    if (e >= 0) {
      code = m.readErrorCode(e);
    }
    return new Response(m.stunClass(), m.method(), code, raw);
  }

  /** Waits for a datagram and returns its bytes, or null on timeout. */
  public byte[] receiveRaw(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      byte[] buf = new byte[65536];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      socket.receive(p);
      return java.util.Arrays.copyOf(buf, p.getLength());
    } catch (SocketTimeoutException e) {
      return null;
    } finally {
      socket.setSoTimeout(3000);
    }
  }

  public Response request(int method, boolean signed, Consumer<StunWriter> body) throws Exception {
    sendRaw(build(method, StunClass.REQUEST, signed, body));
    return receive();
  }

  /** Gets a nonce from the 401 challenge. */
  public void challenge() throws Exception {
    Response r = request(StunMethod.ALLOCATE, false, w -> w.addRequestedTransport(17));
    nonce = r.string(StunAttribute.NONCE);
  }

  /** Allocate with credentials, answering the challenge first. */
  public Response allocate() throws Exception {
    if (nonce == null) {
      challenge();
    }
    return request(StunMethod.ALLOCATE, true, w -> w.addRequestedTransport(17));
  }

  public Response createPermission(InetSocketAddress peer) throws Exception {
    return request(
        StunMethod.CREATE_PERMISSION,
        true,
        w -> w.addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer));
  }

  public Response channelBind(int channel, InetSocketAddress peer) throws Exception {
    return request(
        StunMethod.CHANNEL_BIND,
        true,
        w -> w.addChannelNumber(channel).addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer));
  }

  public Response refresh(int lifetime) throws Exception {
    return request(StunMethod.REFRESH, true, w -> w.addUint32(StunAttribute.LIFETIME, lifetime));
  }

  public void sendIndication(InetSocketAddress peer, byte[] data) throws IOException {
    sendRaw(
        build(
            StunMethod.SEND,
            StunClass.INDICATION,
            false,
            w ->
                w.addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer)
                    .addBytes(StunAttribute.DATA, data)));
  }

  public void channelData(int channel, byte[] data) throws IOException {
    byte[] out = new byte[4 + data.length];
    out[0] = (byte) (channel >> 8);
    out[1] = (byte) channel;
    out[2] = (byte) (data.length >> 8);
    out[3] = (byte) data.length;
    System.arraycopy(data, 0, out, 4, data.length);
    sendRaw(out);
  }

  @Override
  public void close() {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // closing a test's connection: nothing to do
      }
      return;
    }
    socket.close();
  }
}
