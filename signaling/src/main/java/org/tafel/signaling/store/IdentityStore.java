package org.tafel.signaling.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Identities and the hashes under which they chose to be findable. */
public interface IdentityStore {

  /** Why a registration did not take place. */
  enum Refusal {
    BAD_LICENCE
  }

  /** A registration's result: the new identity, or why there is none. */
  record Registration(Identity identity, Refusal refusal) {}

  /**
   * Creates an identity with {@code id} for {@code publicKey}; with a licence code, consumes the
   * code in the same transaction. Returns null when {@code id} is taken (the caller picks another).
   */
  Registration register(String id, byte[] publicKey, String licence, long now);

  /** The active identity with this ID. */
  Optional<Identity> find(String id);

  /** True when the ID was issued and later revoked. */
  boolean isRevoked(String id);

  /**
   * Revokes the identity: drops its public key, queue, receipts and findable hashes; keeps the ID
   * so it is never issued again. False when there is no active identity with this ID.
   */
  boolean revoke(String id, long now);

  /** Replaces the findable hashes of {@code identity}. */
  void setFindable(String identity, List<byte[]> hashes);

  /** Every findable hash (hex) and its identity, for the in-memory index at start. */
  Map<String, String> findable();
}
