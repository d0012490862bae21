package org.tafel.relay.dispatch;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.tafel.protocol.stun.StunAttribute;
import org.tafel.protocol.stun.StunErrorCode;
import org.tafel.protocol.stun.StunMessage;
import org.tafel.protocol.stun.StunParseException;
import org.tafel.protocol.stun.TurnFraming;
import org.tafel.relay.allocation.Allocation;
import org.tafel.relay.policy.PeerPolicy;
import org.tafel.relay.transport.ClientLink;

/** Refresh (RFC 8656 §8), CreatePermission (§10) and ChannelBind (§12.2) on an allocation. */
final class AllocationRequests {
  private final RelayContext ctx;
  private final Responder responder;
  private final Authenticator authenticator;
  private final AllocationLifecycle lifecycle;

  AllocationRequests(
      RelayContext ctx,
      Responder responder,
      Authenticator authenticator,
      AllocateHandler allocate) {
    this.ctx = ctx;
    this.responder = responder;
    this.authenticator = authenticator;
    this.lifecycle = allocate.lifecycle();
  }

  /**
   * The checks every request on an allocation shares: authentication, an allocation on this 5-tuple
   * (437), the same credentials as the Allocate (441), no unknown required attributes.
   */
  private Authenticator.Verified admit(ClientLink link, Allocation a, StunMessage m) {
    Authenticator.Verified who = authenticator.authenticate(link, m);
    if (who == null) {
      return null;
    }
    if (a == null || a.relaySocket() == null) {
      responder.error(link, m, StunErrorCode.ALLOCATION_MISMATCH, who.key(), false);
      return null;
    }
    if (!a.username().equals(who.username())) {
      responder.error(link, m, StunErrorCode.WRONG_CREDENTIALS, who.key(), false);
      return null;
    }
    if (Responder.firstUnknownRequired(m) >= 0) {
      responder.unknownAttributes(link, m, who.key());
      return null;
    }
    return who;
  }

  void refresh(ClientLink link, Allocation a, StunMessage m) {
    Authenticator.Verified who = admit(link, a, m);
    if (who == null) {
      return;
    }
    long requested = ctx.config().limits().defaultLifetime().toMillis();
    int i = m.find(StunAttribute.LIFETIME);
    if (i >= 0) {
      try {
        requested = Integer.toUnsignedLong(m.readUint32(i)) * 1000;
      } catch (StunParseException e) {
        responder.error(link, m, StunErrorCode.BAD_REQUEST, who.key(), false);
        return;
      }
    }
    long lifetime;
    if (requested == 0) {
      lifetime = 0;
      lifecycle.free(a);
    } else {
      lifetime = Math.min(requested, ctx.config().limits().maxLifetime().toMillis());
      a.expiresAtMillis(ctx.nowMillis() + lifetime);
      lifecycle.schedule(a);
    }
    long seconds = lifetime / 1000;
    responder.success(link, m, who.key(), w -> w.addUint32(StunAttribute.LIFETIME, (int) seconds));
  }

  void createPermission(ClientLink link, Allocation a, StunMessage m) {
    Authenticator.Verified who = admit(link, a, m);
    if (who == null) {
      return;
    }
    List<InetSocketAddress> peers = new ArrayList<>();
    try {
      for (int i = 0; i < m.attributeCount(); i++) {
        if (m.attributeType(i) == StunAttribute.XOR_PEER_ADDRESS) {
          peers.add(m.readXorAddress(i));
        }
      }
    } catch (StunParseException e) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, who.key(), false);
      return;
    }
    if (peers.isEmpty()) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, who.key(), false);
      return;
    }
    for (InetSocketAddress peer : peers) {
      if (familyMismatch(a, peer)) {
        responder.error(link, m, StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, who.key(), false);
        return;
      }
      if (ctx.policy().checkAddress(peer.getAddress()) != PeerPolicy.Verdict.ALLOWED) {
        ctx.metrics().deniedPeers.increment();
        responder.error(link, m, StunErrorCode.FORBIDDEN, who.key(), false);
        return;
      }
    }
    long expires = ctx.nowMillis() + ctx.config().limits().permissionLifetime().toMillis();
    int max = ctx.config().limits().permissionsPerAllocation();
    for (InetSocketAddress peer : peers) {
      if (!a.installPermission(peer.getAddress(), expires, max)) {
        responder.error(link, m, StunErrorCode.INSUFFICIENT_CAPACITY, who.key(), false);
        return;
      }
    }
    responder.success(link, m, who.key(), w -> {});
  }

  void channelBind(ClientLink link, Allocation a, StunMessage m) {
    Authenticator.Verified who = admit(link, a, m);
    if (who == null) {
      return;
    }
    int cn = m.find(StunAttribute.CHANNEL_NUMBER);
    int pa = m.find(StunAttribute.XOR_PEER_ADDRESS);
    if (cn < 0 || pa < 0) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, who.key(), false);
      return;
    }
    int number;
    InetSocketAddress peer;
    try {
      number = m.readChannelNumber(cn);
      peer = m.readXorAddress(pa);
    } catch (StunParseException e) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, who.key(), false);
      return;
    }
    if (!isChannelNumber(number)) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, who.key(), false);
      return;
    }
    Allocation.ChannelBinding byNumber = a.channel(number);
    Allocation.ChannelBinding byPeer = a.channelFor(peer);
    if ((byNumber != null && !byNumber.peer.equals(peer))
        || (byPeer != null && byPeer.number != number)) {
      responder.error(link, m, StunErrorCode.BAD_REQUEST, who.key(), false);
      return;
    }
    if (familyMismatch(a, peer)) {
      responder.error(link, m, StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, who.key(), false);
      return;
    }
    if (ctx.policy().check(peer.getAddress(), peer.getPort()) != PeerPolicy.Verdict.ALLOWED) {
      ctx.metrics().deniedPeers.increment();
      responder.error(link, m, StunErrorCode.FORBIDDEN, who.key(), false);
      return;
    }
    long now = ctx.nowMillis();
    // A ChannelBind installs or refreshes the permission for its peer (RFC 8656 §12.2): some
    // WebRTC stacks never send CreatePermission.
    if (!a.installPermission(
        peer.getAddress(),
        now + ctx.config().limits().permissionLifetime().toMillis(),
        ctx.config().limits().permissionsPerAllocation())) {
      responder.error(link, m, StunErrorCode.INSUFFICIENT_CAPACITY, who.key(), false);
      return;
    }
    a.bindChannel(number, peer, now + ctx.config().limits().channelLifetime().toMillis());
    responder.success(link, m, who.key(), w -> {});
  }

  /**
   * RFC 8656 §12 narrows channel numbers to 0x4000–0x4FFF; RFC 5766 allowed 0x4000–0x7FFF and
   * clients written for it (coturn's own turnutils_uclient among them) still pick from that range.
   * On a TURN listener the two leading bits 01 mark ChannelData either way, so the wider range is
   * accepted.
   */
  static boolean isChannelNumber(int n) {
    return TurnFraming.isChannelNumber(n) || (n >= 0x5000 && n <= 0x7FFF);
  }

  private static boolean familyMismatch(Allocation a, InetSocketAddress peer) {
    return (a.relayedAddress().getAddress() instanceof java.net.Inet6Address)
        != (peer.getAddress() instanceof java.net.Inet6Address);
  }
}
