package org.tafel.relay.dispatch;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunErrorCode;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunParseException;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.forward.HeadroomRecvByteBufAllocator;
import org.tafel.relay.forward.PeerForwarder;
import org.tafel.relay.quota.AllocationQuota;
import org.tafel.relay.transport.ChannelRelaySocket;
import org.tafel.relay.transport.ClientLink;
import org.tafel.relay.transport.NativeRelaySocket;
import org.tafel.relay.transport.RelaySocket;

/**
 * Allocate (RFC 8656 §7.2), one named step per check: authenticate, detect a retransmission or a
 * mismatch, check attributes, reserve quota and a port, bind the relay socket, answer.
 */
final class AllocateHandler {
  private static final int UDP = 17;
  private static final int FAMILY_IPV4 = 0x01;
  private static final int FAMILY_IPV6 = 0x02;
  private static final int BIND_ATTEMPTS = 16;

  private final RelayContext ctx;
  private final Responder responder;
  private final Authenticator authenticator;
  private final AllocationLifecycle lifecycle;

  AllocateHandler(RelayContext ctx, Responder responder, Authenticator authenticator) {
    this.ctx = ctx;
    this.responder = responder;
    this.authenticator = authenticator;
    this.lifecycle = new AllocationLifecycle(ctx);
  }

  AllocationLifecycle lifecycle() {
    return lifecycle;
  }

  void handle(ClientLink link, Allocation existing, StunMessage m) {
    Authenticator.Verified who = authenticator.authenticate(link, m);
    if (who == null) {
      return;
    }
    if (existing != null) {
      answerExisting(link, existing, m, who);
      return;
    }
    if (Responder.firstUnknownRequired(m) >= 0) {
      responder.unknownAttributes(link, m, who.key());
      return;
    }
    StunErrorCode refused = checkAttributes(m);
    if (refused != null) {
      responder.error(link, m, refused, who.key(), false);
      return;
    }
    AllocationQuota.Outcome outcome = ctx.quota().reserve(who.username());
    if (outcome != AllocationQuota.Outcome.GRANTED) {
      responder.error(
          link,
          m,
          outcome == AllocationQuota.Outcome.USER_QUOTA_REACHED
              ? StunErrorCode.ALLOCATION_QUOTA_REACHED
              : StunErrorCode.INSUFFICIENT_CAPACITY,
          who.key(),
          false);
      return;
    }
    boolean even = m.find(StunAttribute.EVEN_PORT) >= 0;
    long lifetime = lifetimeMillis(m);
    byte[] tid = new byte[12];
    m.buffer().getBytes(m.transactionIdIndex(), tid);
    // The response is built after the asynchronous bind, when the request buffer is gone: keep
    // what it needs.
    PendingAllocate pending =
        new PendingAllocate(link, who, tid, even, lifetime, m.hasFingerprint());
    bindRelaySocket(pending, BIND_ATTEMPTS);
  }

  /** Step: a second Allocate on a 5-tuple with an allocation (RFC 8656 §7.2, step 2). */
  private void answerExisting(
      ClientLink link, Allocation existing, StunMessage m, Authenticator.Verified who) {
    byte[] tid = new byte[12];
    m.buffer().getBytes(m.transactionIdIndex(), tid);
    if (!existing.isAllocateTransaction(tid)) {
      responder.error(link, m, StunErrorCode.ALLOCATION_MISMATCH, who.key(), false);
      return;
    }
    if (existing.relaySocket() == null) {
      return; // still binding: the response is on its way
    }
    long remaining = Math.max(0, existing.expiresAtMillis() - ctx.nowMillis()) / 1000;
    responder.success(
        link,
        m,
        existing.key(),
        w ->
            w.addXorAddress(StunAttribute.XOR_RELAYED_ADDRESS, existing.relayedAddress())
                .addUint32(StunAttribute.LIFETIME, (int) remaining)
                .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, link.remote()));
  }

  /** Step: REQUESTED-TRANSPORT, address family, reservation token (RFC 8656 §7.2 steps 3–6). */
  private StunErrorCode checkAttributes(StunMessage m) {
    try {
      int rt = m.find(StunAttribute.REQUESTED_TRANSPORT);
      if (rt < 0) {
        return StunErrorCode.BAD_REQUEST;
      }
      if (m.readRequestedTransport(rt) != UDP) {
        return StunErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL;
      }
      int token = m.find(StunAttribute.RESERVATION_TOKEN);
      int evenPort = m.find(StunAttribute.EVEN_PORT);
      int family = m.find(StunAttribute.REQUESTED_ADDRESS_FAMILY);
      if (token >= 0 && (evenPort >= 0 || family >= 0)) {
        return StunErrorCode.BAD_REQUEST;
      }
      if (token >= 0) {
        return StunErrorCode.INSUFFICIENT_CAPACITY; // this server issues no reservations
      }
      if (family >= 0) {
        int f = m.readAddressFamily(family);
        if (f != FAMILY_IPV4 && f != FAMILY_IPV6) {
          return StunErrorCode.BAD_REQUEST;
        }
        if (f != relayFamily()) {
          return StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED;
        }
      }
      return null;
    } catch (StunParseException e) {
      return StunErrorCode.BAD_REQUEST;
    }
  }

  private int relayFamily() {
    InetAddress bind = ctx.config().bindAddress();
    return bind instanceof java.net.Inet6Address ? FAMILY_IPV6 : FAMILY_IPV4;
  }

  /** Step: lifetime = max(requested, default), capped at the maximum (RFC 8656 §7.2). */
  private long lifetimeMillis(StunMessage m) {
    long def = ctx.config().limits().defaultLifetime().toMillis();
    long max = ctx.config().limits().maxLifetime().toMillis();
    int i = m.find(StunAttribute.LIFETIME);
    long requested = def;
    if (i >= 0) {
      try {
        requested = Integer.toUnsignedLong(m.readUint32(i)) * 1000;
      } catch (StunParseException e) {
        requested = def;
      }
    }
    return Math.min(Math.max(requested, def), max);
  }

  private record PendingAllocate(
      ClientLink link,
      Authenticator.Verified who,
      byte[] tid,
      boolean even,
      long lifetimeMillis,
      boolean fingerprint) {}

  /** Step: take a port and bind the relay socket on the client's event loop; skip ports in use. */
  private void bindRelaySocket(PendingAllocate p, int attemptsLeft) {
    int port = ctx.ports().acquire(p.even());
    if (port < 0 || attemptsLeft == 0) {
      if (port >= 0) {
        ctx.ports().release(port);
      }
      ctx.quota().release(p.who().username());
      sendError(p, StunErrorCode.INSUFFICIENT_CAPACITY);
      return;
    }
    InetSocketAddress relayed =
        new InetSocketAddress(
            ctx.config().externalAddress() != null
                ? ctx.config().externalAddress()
                : ctx.config().bindAddress(),
            port);
    Allocation a =
        new Allocation(
            p.link(),
            p.who().username(),
            p.who().key(),
            p.tid(),
            relayed,
            ctx.nowMillis() + p.lifetimeMillis(),
            ctx.config().limits().bytesPerSecondPerAllocation(),
            System.nanoTime());
    p.link().attach(a);
    if (ctx.transports().nativeUdp(ctx.config().bindAddress())) {
      bindNative(p, a, port, attemptsLeft);
      return;
    }
    HeadroomRecvByteBufAllocator receiveBuffers = new HeadroomRecvByteBufAllocator();
    Bootstrap b =
        new Bootstrap()
            .group(p.link().eventLoop())
            .channelFactory(ctx.transports().datagramFactory(ctx.config().bindAddress()))
            .option(ChannelOption.RCVBUF_ALLOCATOR, receiveBuffers)
            .handler(new PeerForwarder(ctx, a, lifecycle, receiveBuffers));
    ctx.transports().configureRelaySocket(b);
    ChannelFuture bound = b.bind(new InetSocketAddress(ctx.config().bindAddress(), port));
    bound.addListener(
        f -> {
          if (!f.isSuccess()) {
            retryBind(p, a, port, attemptsLeft);
            return;
          }
          Channel ch = bound.channel();
          if (a.closed()) {
            ch.close();
            return;
          }
          bound(p, a, new ChannelRelaySocket(ch));
        });
  }

  /** The native path: the relay socket is bound at once and registered with the loop. */
  private void bindNative(PendingAllocate p, Allocation a, int port, int attemptsLeft) {
    NativeRelaySocket s =
        NativeRelaySocket.open(
            (IoEventLoop) p.link().eventLoop(),
            (Inet4Address) ctx.config().bindAddress(),
            port,
            ctx.metrics(),
            new PeerForwarder(ctx, a, lifecycle, null));
    if (s == null) {
      retryBind(p, a, port, attemptsLeft);
      return;
    }
    s.start()
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                retryBind(p, a, port, attemptsLeft);
                return;
              }
              if (a.closed()) {
                s.close();
                return;
              }
              bound(p, a, s);
            });
  }

  /** The port could not be bound: give it back and try the next. */
  private void retryBind(PendingAllocate p, Allocation a, int port, int attemptsLeft) {
    p.link().detach(a);
    ctx.ports().release(port);
    bindRelaySocket(p, attemptsLeft - 1);
  }

  private void bound(PendingAllocate p, Allocation a, RelaySocket s) {
    a.relaySocket(s);
    ctx.metrics().allocationsCreated.increment();
    lifecycle.schedule(a);
    sendSuccess(p, a);
  }

  private void sendSuccess(PendingAllocate p, Allocation a) {
    responder.successFor(
        p.link(),
        org.tafel.protocol.stun.StunMethod.ALLOCATE,
        p.tid(),
        a.key(),
        w ->
            w.addXorAddress(StunAttribute.XOR_RELAYED_ADDRESS, a.relayedAddress())
                .addUint32(StunAttribute.LIFETIME, (int) (p.lifetimeMillis() / 1000))
                .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, p.link().remote()));
  }

  private void sendError(PendingAllocate p, StunErrorCode code) {
    responder.errorFor(
        p.link(), org.tafel.protocol.stun.StunMethod.ALLOCATE, p.tid(), code, p.who().key());
  }
}
