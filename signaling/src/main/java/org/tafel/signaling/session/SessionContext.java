package org.tafel.signaling.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.tafel.protocol.signaling.FrameCodec;
import org.tafel.protocol.signaling.X25519;
import org.tafel.signaling.SignalingConfig;
import org.tafel.signaling.SignalingMetrics;
import org.tafel.signaling.credentials.CredentialIssuer;
import org.tafel.signaling.delivery.GroupCommitter;
import org.tafel.signaling.delivery.Router;
import org.tafel.signaling.delivery.TokenBucket;
import org.tafel.signaling.directory.Registrar;
import org.tafel.signaling.discovery.DiscoveryIndex;
import org.tafel.signaling.store.EnvelopeStore;
import org.tafel.signaling.store.IdentityStore;

/**
 * What every session shares: configuration, codec, clock, metrics, stores, committer, router,
 * registries. {@code storeExecutor} runs blocking store reads off the event loops; {@code
 * sendBuckets} gives the send-rate bucket of an identity.
 */
public record SessionContext(
    SignalingConfig config,
    FrameCodec codec,
    Clock clock,
    SignalingMetrics metrics,
    X25519.KeyPair serverKey,
    SecureRandom random,
    IdentityStore identities,
    EnvelopeStore envelopes,
    GroupCommitter committer,
    Router router,
    SessionRegistry registry,
    Registrar registrar,
    CredentialIssuer credentials,
    DiscoveryIndex discovery,
    Executor storeExecutor,
    Function<String, TokenBucket> sendBuckets) {}
