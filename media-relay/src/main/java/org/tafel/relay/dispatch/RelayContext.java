package org.tafel.relay.dispatch;

import java.time.Clock;
import org.tafel.relay.RelayConfig;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.allocation.RelayPortPool;
import org.tafel.relay.auth.CredentialStore;
import org.tafel.relay.auth.NonceService;
import org.tafel.relay.auth.RestCredentialStore;
import org.tafel.relay.policy.PeerPolicy;
import org.tafel.relay.quota.AllocationQuota;
import org.tafel.relay.transport.Transports;

/** What every handler shares: configuration, policy, quotas, credentials, metrics, time. */
public record RelayContext(
    RelayConfig config,
    RelayMetrics metrics,
    Clock clock,
    NonceService nonces,
    RestCredentialStore restCredentials,
    CredentialStore staticCredentials,
    AllocationQuota quota,
    RelayPortPool ports,
    PeerPolicy policy,
    Transports transports) {

  public long nowMillis() {
    return clock.millis();
  }
}
