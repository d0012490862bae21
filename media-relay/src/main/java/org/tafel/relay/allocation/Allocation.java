package org.tafel.relay.allocation;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.tafel.protocol.net.Cidr;
import org.tafel.relay.quota.TokenBucket;
import org.tafel.relay.transport.ClientLink;
import org.tafel.relay.transport.RelaySocket;

/** One allocation. Touched only on the event loop of its client link; no locks. */
public final class Allocation {
  /**
   * A channel binding (RFC 8656 §12), holding what a ChannelData datagram needs on its way to the
   * peer: the peer as ints, and the permission it was last checked against, so that the
   * per-datagram path reads this object instead of the address objects and the permission map.
   */
  public static final class ChannelBinding {
    public final int number;
    public final InetSocketAddress peer;

    /**
     * True when the peer is IPv4; then {@link #ipv4} is its address (as {@code Cidr.ipv4ToInt}).
     */
    public final boolean isIpv4;

    public final int ipv4;
    public final int port;
    long expiresAtMillis;

    /** The peer's permission as the map held it at {@link #seen}; null: look it up. */
    Permission permission;

    /** The allocation's {@link Allocation#generation} when {@link #permission} was looked up. */
    int seen;

    ChannelBinding(int number, InetSocketAddress peer, long expiresAtMillis) {
      this.number = number;
      this.peer = peer;
      this.isIpv4 = peer.getAddress() instanceof Inet4Address;
      this.ipv4 = isIpv4 ? Cidr.ipv4ToInt((Inet4Address) peer.getAddress()) : 0;
      this.port = peer.getPort();
      this.expiresAtMillis = expiresAtMillis;
    }

    public boolean live(long nowMillis) {
      return expiresAtMillis > nowMillis;
    }
  }

  /** A permission (RFC 8656 §9); a refresh updates it in place. */
  public static final class Permission {
    long expiresAtMillis;

    Permission(long expiresAtMillis) {
      this.expiresAtMillis = expiresAtMillis;
    }

    public boolean live(long nowMillis) {
      return expiresAtMillis > nowMillis;
    }
  }

  private final ClientLink link;
  private final String username;
  private final byte[] key;
  private final byte[] transactionId;
  private final InetSocketAddress relayedAddress;
  private RelaySocket relaySocket;
  private long expiresAtMillis;
  private final HashMap<InetAddress, Permission> permissions = new HashMap<>();
  private final IntObjectHashMap<ChannelBinding> channelsByNumber = new IntObjectHashMap<>();
  private final HashMap<InetSocketAddress, ChannelBinding> channelsByPeer = new HashMap<>();
  private final TokenBucket toPeer;
  private final TokenBucket toClient;
  private ScheduledFuture<?> timer;
  private boolean closed;

  /** The binding {@link #channel} found last; forgotten when it is purged. */
  private ChannelBinding lastChannel;

  /** Counts permissions and bindings added and removed: see {@link #generation}. */
  private int generation;

  public Allocation(
      ClientLink link,
      String username,
      byte[] key,
      byte[] transactionId,
      InetSocketAddress relayedAddress,
      long expiresAtMillis,
      long bytesPerSecond,
      long nowNanos) {
    this.link = link;
    this.username = username;
    this.key = key;
    this.transactionId = transactionId;
    this.relayedAddress = relayedAddress;
    this.expiresAtMillis = expiresAtMillis;
    this.toPeer = bytesPerSecond > 0 ? new TokenBucket(bytesPerSecond, nowNanos) : null;
    this.toClient = bytesPerSecond > 0 ? new TokenBucket(bytesPerSecond, nowNanos) : null;
  }

  public ClientLink link() {
    return link;
  }

  public String username() {
    return username;
  }

  /** The long-term key the allocation was created with; its requests must use the same. */
  public byte[] key() {
    return key;
  }

  public boolean isAllocateTransaction(byte[] tid) {
    return java.util.Arrays.equals(transactionId, tid);
  }

  public int relayPort() {
    return relayedAddress.getPort();
  }

  public InetSocketAddress relayedAddress() {
    return relayedAddress;
  }

  /** The relay socket, or null while it is being bound. */
  public RelaySocket relaySocket() {
    return relaySocket;
  }

  public void relaySocket(RelaySocket s) {
    this.relaySocket = s;
  }

  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  public void expiresAtMillis(long t) {
    this.expiresAtMillis = t;
  }

  public ScheduledFuture<?> timer() {
    return timer;
  }

  public void timer(ScheduledFuture<?> t) {
    this.timer = t;
  }

  public boolean closed() {
    return closed;
  }

  public void markClosed() {
    closed = true;
  }

  /** True if a permission for this peer address exists and has not expired. */
  public boolean hasPermission(InetAddress peer, long nowMillis) {
    Permission p = permissions.get(peer);
    return p != null && p.live(nowMillis);
  }

  /** The permission for this peer address, live or not yet purged; null if there is none. */
  public Permission permission(InetAddress peer) {
    return permissions.get(peer);
  }

  /**
   * True if the binding's peer has a live permission; the binding remembers which permission that
   * is until a permission or binding is added or removed.
   */
  public boolean permits(ChannelBinding b, long nowMillis) {
    Permission p = b.permission;
    if (p == null || b.seen != generation) {
      p = permissions.get(b.peer.getAddress());
      b.permission = p;
      b.seen = generation;
    }
    return p != null && p.live(nowMillis);
  }

  /**
   * Changes whenever a permission or a channel binding is added or removed (refreshes update them
   * in place and do not count). What {@link #permission} and {@link #channelFor} answered stays
   * their answer while this is unchanged; whether it is live must still be checked.
   */
  public int generation() {
    return generation;
  }

  public int permissionCount() {
    return permissions.size();
  }

  /** Installs or refreshes a permission; false when a new one would exceed {@code max}. */
  public boolean installPermission(InetAddress peer, long expiresAtMillis, int max) {
    Permission p = permissions.get(peer);
    if (p != null) {
      p.expiresAtMillis = expiresAtMillis;
      return true;
    }
    if (permissions.size() >= max) {
      return false;
    }
    permissions.put(peer, new Permission(expiresAtMillis));
    generation++;
    return true;
  }

  public ChannelBinding channel(int number) {
    ChannelBinding b = lastChannel;
    if (b != null && b.number == number) {
      return b;
    }
    b = channelsByNumber.get(number);
    if (b != null) {
      lastChannel = b;
    }
    return b;
  }

  /** The binding for this peer, live or not yet purged; null if there is none. */
  public ChannelBinding channelFor(InetSocketAddress peer) {
    return channelsByPeer.get(peer);
  }

  /** Binds or refreshes; the caller has checked the number/peer pairing (RFC 8656 §12.2). */
  public void bindChannel(int number, InetSocketAddress peer, long expiresAtMillis) {
    ChannelBinding b = channelsByNumber.get(number);
    if (b == null) {
      b = new ChannelBinding(number, peer, expiresAtMillis);
      channelsByNumber.put(number, b);
      channelsByPeer.put(peer, b);
      generation++;
    } else {
      b.expiresAtMillis = expiresAtMillis;
    }
  }

  /** Removes expired permissions and channel bindings; returns the earliest expiry left. */
  public long purgeExpired(long nowMillis) {
    long next = expiresAtMillis;
    for (Iterator<Map.Entry<InetAddress, Permission>> it = permissions.entrySet().iterator();
        it.hasNext(); ) {
      Permission p = it.next().getValue();
      if (p.expiresAtMillis <= nowMillis) {
        it.remove();
        generation++;
      } else {
        next = Math.min(next, p.expiresAtMillis);
      }
    }
    for (Iterator<ChannelBinding> it = channelsByNumber.values().iterator(); it.hasNext(); ) {
      ChannelBinding b = it.next();
      if (b.expiresAtMillis <= nowMillis) {
        it.remove();
        channelsByPeer.remove(b.peer);
        generation++;
        if (b == lastChannel) {
          lastChannel = null;
        }
      } else {
        next = Math.min(next, b.expiresAtMillis);
      }
    }
    return next;
  }

  /** Bandwidth toward the peer; reads the clock only when a limit is configured. */
  public boolean takeToPeer(int bytes) {
    return toPeer == null || toPeer.tryTake(bytes, System.nanoTime());
  }

  /** Bandwidth toward the client; reads the clock only when a limit is configured. */
  public boolean takeToClient(int bytes) {
    return toClient == null || toClient.tryTake(bytes, System.nanoTime());
  }
}
