package org.tafel.signaling.directory;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tafel.protocol.signaling.ErrorCode;
import org.tafel.protocol.signaling.ProofOfWork;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.delivery.TokenBucket;
import org.tafel.signaling.store.Identity;
import org.tafel.signaling.store.IdentityStore;

/** Creates identities once the caller has checked the registration MAC. */
public final class Registrar {
  public static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final int MAX_ADDRESSES = 100_000;

  /** The new identity, or the error to answer. */
  public record Result(Identity identity, ErrorCode error) {}

  private final IdentityStore identities;
  private final SignalingConfig.Registration mode;
  private final int powBits;
  private final int perAddressPerHour;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<InetAddress, TokenBucket> perAddress = new ConcurrentHashMap<>();

  public Registrar(
      IdentityStore identities,
      SignalingConfig.Registration mode,
      int powBits,
      int perAddressPerHour,
      Clock clock) {
    this.identities = identities;
    this.mode = mode;
    this.powBits = powBits;
    this.perAddressPerHour = perAddressPerHour;
    this.clock = clock;
  }

  public SignalingConfig.Registration mode() {
    return mode;
  }

  public int powBits() {
    return powBits;
  }

  /** Takes one registration from the address's hourly allowance; false when none is left. */
  public boolean allow(InetAddress address) {
    if (perAddress.size() > MAX_ADDRESSES) {
      perAddress.clear();
    }
    return perAddress
        .computeIfAbsent(
            address, a -> new TokenBucket(perAddressPerHour / 3600.0, perAddressPerHour, clock))
        .tryTake();
  }

  /**
   * Registers {@code publicKey}: checks the licence code or the proof-of-work (against this
   * connection's {@code challenge}), then stores a fresh random ID. Blocking (store I/O).
   */
  public Result register(byte[] publicKey, String licence, Long pow, byte[] challenge) {
    if (mode == SignalingConfig.Registration.LICENCE) {
      if (licence == null) {
        return new Result(null, ErrorCode.BAD_LICENCE);
      }
    } else if (pow == null || !ProofOfWork.verify(challenge, publicKey, pow, powBits)) {
      return new Result(null, ErrorCode.BAD_PROOF_OF_WORK);
    }
    for (int attempt = 0; attempt < 16; attempt++) {
      IdentityStore.Registration r =
          identities.register(
              newId(),
              publicKey,
              mode == SignalingConfig.Registration.LICENCE ? licence : null,
              clock.millis());
      if (r == null) {
        continue; // ID taken, try another
      }
      if (r.refusal() != null) {
        return new Result(null, ErrorCode.BAD_LICENCE);
      }
      return new Result(r.identity(), null);
    }
    return new Result(null, ErrorCode.INTERNAL);
  }

  private String newId() {
    char[] id = new char[8];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length()));
    }
    return new String(id);
  }
}
