package org.tafel.signaling.discovery;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Findable hashes by identity, and the per-identity daily budget of new probes. Thread-safe. */
public final class DiscoveryIndex {
  private static final HexFormat HEX = HexFormat.of();

  /** A match: the probe hash and the identity that published it. */
  public record Hit(byte[] hash, String identity) {}

  private final Map<String, String> byHash = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> byIdentity = new ConcurrentHashMap<>();
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
  private final int probesPerDay;
  private final Clock clock;
  private final byte[] salt = new byte[32];

  private static final class Budget {
    long day;
    final Set<Long> seen = new HashSet<>();
  }

  public DiscoveryIndex(int probesPerDay, Clock clock) {
    this.probesPerDay = probesPerDay;
    this.clock = clock;
    new SecureRandom().nextBytes(salt);
  }

  /** Loads the stored findable hashes (hex → identity). */
  public void load(Map<String, String> findable) {
    findable.forEach(
        (hash, identity) -> {
          byHash.put(hash, identity);
          byIdentity.computeIfAbsent(identity, k -> ConcurrentHashMap.newKeySet()).add(hash);
        });
  }

  /** Replaces the findable hashes of {@code identity}. */
  public synchronized void setFindable(String identity, List<byte[]> hashes) {
    remove(identity);
    Set<String> set = ConcurrentHashMap.newKeySet();
    for (byte[] h : hashes) {
      String hex = HEX.formatHex(h);
      set.add(hex);
      byHash.put(hex, identity);
    }
    if (!set.isEmpty()) {
      byIdentity.put(identity, set);
    }
  }

  /** Forgets {@code identity} (revoked or unfindable). */
  public synchronized void remove(String identity) {
    Set<String> old = byIdentity.remove(identity);
    if (old != null) {
      for (String h : old) {
        byHash.remove(h, identity);
      }
    }
  }

  /**
   * The matches among {@code probes}, or null when the new probes among them exceed what is left of
   * {@code identity}'s budget today (then none is counted). The probes themselves are not kept;
   * only salted 64-bit digests, to tell new from repeated probes until the UTC day ends.
   */
  public List<Hit> probe(String identity, List<byte[]> probes) {
    long today = Math.floorDiv(clock.millis(), 86_400_000L);
    Budget b = budgets.computeIfAbsent(identity, k -> new Budget());
    synchronized (b) {
      if (b.day != today) {
        b.day = today;
        b.seen.clear();
      }
      Set<Long> fresh = new HashSet<>();
      for (byte[] p : probes) {
        long d = digest(p);
        if (!b.seen.contains(d)) {
          fresh.add(d);
        }
      }
      if (b.seen.size() + fresh.size() > probesPerDay) {
        return null;
      }
      b.seen.addAll(fresh);
    }
    List<Hit> hits = new ArrayList<>();
    for (byte[] p : probes) {
      String who = byHash.get(HEX.formatHex(p));
      if (who != null && !who.equals(identity)) {
        hits.add(new Hit(p.clone(), who));
      }
    }
    return hits;
  }

  private long digest(byte[] probe) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      return ByteBuffer.wrap(sha.digest(probe)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
