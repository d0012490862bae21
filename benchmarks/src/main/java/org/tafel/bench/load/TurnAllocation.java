package org.tafel.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunClass;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunMethod;
import org.tafel.protocol.stun.StunParseException;
import org.tafel.protocol.stun.StunWriter;
import org.tafel.protocol.stun.TurnCredentials;

/**
 * One client allocation on its own socket (a connected UDP socket, i.e. its own 5-tuple, or a TCP
 * connection) and its TURN control flow: Allocate (answering the 401 with TURN REST credentials,
 * and 438 with the new nonce), CreatePermission, ChannelBind, Refresh. Requests over UDP are
 * retransmitted (RFC 8489 §6.2.1, RTO 250 ms doubling); a request without a final answer after its
 * last try (or 10 s over TCP) fails with code -1. Everything runs on the channel's event loop.
 */
final class TurnAllocation extends ChannelInboundHandlerAdapter {
  static final int TIMEOUT = -1;
  static final int CLOSED = -2;

  /** Callbacks, all on the allocation's event loop. */
  interface Listener {
    /** Allocate succeeded; {@code setupNanos} since the first Allocate was sent. */
    default void allocated(TurnAllocation a, long setupNanos) {}

    /** CreatePermission and ChannelBind succeeded after Allocate. */
    default void ready(TurnAllocation a, long setupNanos) {}

    /**
     * A request failed: {@code code} is the STUN error code, {@link #TIMEOUT} or {@link #CLOSED};
     * {@code nanos} since that request (its last nonce round) was first sent.
     */
    default void failed(TurnAllocation a, int method, int code, long nanos) {}

    /** An echoed ChannelData payload (the buffer is released after the call). */
    default void data(TurnAllocation a, ByteBuf payload) {}
  }

  private static final ThreadLocal<StunWriter> WRITER = ThreadLocal.withInitial(StunWriter::new);
  private static final ThreadLocal<StunMessage> PARSER = ThreadLocal.withInitial(StunMessage::new);
  private static final long TCP_TIMEOUT_MILLIS = 10_000;

  final int id;
  final boolean tcp;
  final String username;
  private final String password;
  private final InetSocketAddress peer;
  private final int requestedLifetime;
  private final Listener listener;
  private final int rtoMillis;
  private final int maxTries;
  Channel channel;
  EventLoop loop;

  private String realm;
  private String nonce;
  private byte[] key;
  private final List<Txn> txns = new ArrayList<>(2);
  private long startNanos;

  /** Granted lifetime of the allocation in seconds, from the Allocate response. */
  int grantedLifetime;

  int channelNumber = 0x4000;
  boolean allocatedOk;
  boolean readyOk;
  boolean freed;

  // Data-phase state, owned by the event loop.
  long nextSendNanos;
  int seq;
  long sent;
  long received;
  ScheduledFuture<?> refreshTask;
  ScheduledFuture<?> permissionTask;

  TurnAllocation(
      int id,
      boolean tcp,
      String secret,
      String name,
      InetSocketAddress peer,
      int requestedLifetime,
      int rtoMillis,
      int maxTries,
      Listener listener) {
    this.id = id;
    this.tcp = tcp;
    this.username = (System.currentTimeMillis() / 1000 + 86_400) + ":" + name;
    this.password = TurnCredentials.restPassword(secret.getBytes(StandardCharsets.UTF_8), username);
    this.peer = peer;
    this.requestedLifetime = requestedLifetime;
    this.rtoMillis = rtoMillis;
    this.maxTries = maxTries;
    this.listener = listener;
  }

  void attach(Channel ch) {
    this.channel = ch;
    this.loop = ch.eventLoop();
  }

  // ---------------------------------------------------------------- flows

  /** Allocate; then, if {@code bind}, CreatePermission and ChannelBind to the peer. */
  void start(boolean bind) {
    loop.execute(
        () -> {
          startNanos = System.nanoTime();
          request(
              StunMethod.ALLOCATE,
              false,
              this::allocateBody,
              m -> {
                allocatedOk = true;
                int i = m.find(StunAttribute.LIFETIME);
                try {
                  grantedLifetime = i >= 0 ? m.readUint32(i) : requestedLifetime;
                } catch (StunParseException e) {
                  grantedLifetime = requestedLifetime;
                }
                listener.allocated(this, System.nanoTime() - startNanos);
                if (bind) {
                  bindPeer(() -> listener.ready(this, System.nanoTime() - startNanos));
                }
              });
        });
  }

  private void allocateBody(StunWriter w) {
    w.addRequestedTransport(17);
    if (requestedLifetime > 0) {
      w.addUint32(StunAttribute.LIFETIME, requestedLifetime);
    }
  }

  /** CreatePermission, then ChannelBind; {@code done} after both succeeded. */
  void bindPeer(Runnable done) {
    request(
        StunMethod.CREATE_PERMISSION,
        true,
        w -> w.addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer),
        m ->
            request(
                StunMethod.CHANNEL_BIND,
                true,
                w ->
                    w.addChannelNumber(channelNumber)
                        .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer),
                m2 -> {
                  readyOk = true;
                  done.run();
                }));
  }

  /** Refresh with {@code lifetime} seconds (0 frees the allocation). */
  void refresh(int lifetime, Runnable done) {
    loop.execute(
        () ->
            request(
                StunMethod.REFRESH,
                true,
                w -> w.addUint32(StunAttribute.LIFETIME, lifetime),
                m -> {
                  if (lifetime == 0) {
                    freed = true;
                  }
                  done.run();
                }));
  }

  /** Sends one ChannelData datagram: id, sequence number, send time, zeros up to {@code size}. */
  void sendData(int size) {
    ByteBuf b = channel.alloc().directBuffer(4 + size + 3);
    b.writeShort(channelNumber);
    b.writeShort(size);
    b.writeInt(id);
    b.writeInt(seq++);
    b.writeLong(System.nanoTime());
    b.writeZero(size - 16);
    if (tcp) {
      int pad = (-b.readableBytes()) & 3;
      b.writeZero(pad);
    }
    sent++;
    channel.writeAndFlush(b, channel.voidPromise());
  }

  /** Closes the socket; {@code abrupt} sends a TCP RST (SO_LINGER 0). */
  void close(boolean abrupt) {
    loop.execute(
        () -> {
          cancelTimers();
          if (abrupt && tcp && channel.isActive()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
          }
          channel.close();
        });
  }

  void cancelTimers() {
    if (refreshTask != null) {
      refreshTask.cancel(false);
    }
    if (permissionTask != null) {
      permissionTask.cancel(false);
    }
    for (Txn t : txns) {
      if (t.timer != null) {
        t.timer.cancel(false);
      }
    }
    txns.clear();
  }

  // ---------------------------------------------------------------- transactions

  private final class Txn {
    final int method;
    final boolean signed;
    final Consumer<StunWriter> body;
    final Consumer<StunMessage> onSuccess;
    byte[] bytes;
    int tries;
    int nonceRounds;
    long firstNanos;
    ScheduledFuture<?> timer;

    Txn(int method, boolean signed, Consumer<StunWriter> body, Consumer<StunMessage> onSuccess) {
      this.method = method;
      this.signed = signed;
      this.body = body;
      this.onSuccess = onSuccess;
    }

    boolean matches(ByteBuf b, int tidIndex) {
      for (int i = 0; i < 12; i++) {
        if (b.getByte(tidIndex + i) != bytes[8 + i]) {
          return false;
        }
      }
      return true;
    }
  }

  private void request(
      int method, boolean signed, Consumer<StunWriter> body, Consumer<StunMessage> onSuccess) {
    Txn t = new Txn(method, signed, body, onSuccess);
    txns.add(t);
    send(t);
  }

  private void send(Txn t) {
    ByteBuf out = Unpooled.buffer(256);
    StunWriter w =
        WRITER
            .get()
            .beginRandomTransaction(out, StunMethod.messageType(t.method, StunClass.REQUEST));
    t.body.accept(w);
    if (t.signed) {
      w.addString(StunAttribute.USERNAME, username)
          .addString(StunAttribute.REALM, realm)
          .addString(StunAttribute.NONCE, nonce)
          .addMessageIntegrity(key);
    }
    w.addFingerprint();
    w.finish();
    t.bytes = new byte[out.readableBytes()];
    out.readBytes(t.bytes);
    t.tries = 0;
    t.firstNanos = System.nanoTime();
    transmit(t);
  }

  private void transmit(Txn t) {
    t.tries++;
    if (!channel.isActive()) {
      fail(t, CLOSED);
      return;
    }
    channel.writeAndFlush(Unpooled.wrappedBuffer(t.bytes), channel.voidPromise());
    long wait = tcp ? TCP_TIMEOUT_MILLIS : (long) rtoMillis << (t.tries - 1);
    t.timer =
        loop.schedule(
            () -> {
              if (!txns.contains(t)) {
                return;
              }
              if (tcp || t.tries >= maxTries) {
                fail(t, TIMEOUT);
              } else {
                transmit(t);
              }
            },
            wait,
            TimeUnit.MILLISECONDS);
  }

  private void fail(Txn t, int code) {
    txns.remove(t);
    if (t.timer != null) {
      t.timer.cancel(false);
    }
    listener.failed(this, t.method, code, System.nanoTime() - t.firstNanos);
  }

  private void onStun(ByteBuf b) {
    StunMessage m = PARSER.get();
    try {
      m.parse(b);
    } catch (StunParseException e) {
      return;
    }
    StunClass cls = m.stunClass();
    if (cls != StunClass.SUCCESS_RESPONSE && cls != StunClass.ERROR_RESPONSE) {
      return;
    }
    Txn t = null;
    for (Txn c : txns) {
      if (c.matches(b, m.transactionIdIndex())) {
        t = c;
        break;
      }
    }
    if (t == null) {
      return; // an answer to a retransmission already answered
    }
    txns.remove(t);
    if (t.timer != null) {
      t.timer.cancel(false);
    }
    if (cls == StunClass.SUCCESS_RESPONSE) {
      t.onSuccess.accept(m);
      return;
    }
    int code = 0;
    try {
      int e = m.find(StunAttribute.ERROR_CODE);
      code = e >= 0 ? m.readErrorCode(e) : 0;
      if ((code == 401 && !t.signed || code == 438) && t.nonceRounds < 3) {
        int n = m.find(StunAttribute.NONCE);
        int r = m.find(StunAttribute.REALM);
        if (n >= 0) {
          nonce = m.readString(n, 763);
          if (r >= 0) {
            String newRealm = m.readString(r, 763);
            if (!newRealm.equals(realm)) {
              realm = newRealm;
              key = TurnCredentials.longTermKey(username, realm, password);
            }
          }
          Txn again = new Txn(t.method, true, t.body, t.onSuccess);
          again.nonceRounds = t.nonceRounds + 1;
          txns.add(again);
          send(again);
          return;
        }
      }
    } catch (StunParseException e) {
      code = 0;
    }
    listener.failed(this, t.method, code, System.nanoTime() - t.firstNanos);
  }

  // ---------------------------------------------------------------- channel handler

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
    try {
      if (b.readableBytes() < 4) {
        return;
      }
      int first = b.getUnsignedByte(b.readerIndex()) >>> 6;
      if (first == 0) {
        onStun(b);
      } else if (first == 1) {
        int len = b.getUnsignedShort(b.readerIndex() + 2);
        if (len <= b.readableBytes() - 4) {
          received++;
          listener.data(this, b.slice(b.readerIndex() + 4, len));
        }
      }
    } finally {
      if (msg instanceof DatagramPacket p) {
        p.release();
      } else {
        b.release();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!txns.isEmpty()) {
      for (Txn t : new ArrayList<>(txns)) {
        fail(t, CLOSED);
      }
    }
    cancelTimers();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Port unreachable and resets: the transaction timers report what matters.
  }

  @Override
  public String toString() {
    return "allocation " + id + " " + username + Arrays.toString(new Object[] {channel});
  }
}
