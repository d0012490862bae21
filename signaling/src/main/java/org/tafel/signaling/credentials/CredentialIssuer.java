package org.tafel.signaling.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.tafel.protocol.signaling.ServerFrame;
import org.tafel.protocol.stun.TurnCredentials;
import org.tafel.protocol.token.Pseudonyms;
import org.tafel.protocol.token.UploadTokens;

/** Mints relay credentials and upload tokens for an identity. */
public final class CredentialIssuer {
  private final List<String> relayUrls;
  private final byte[] turnSecret;
  private final Pseudonyms relayPseudonyms;
  private final Duration turnLifetime;
  private final UploadTokens uploadTokens;
  private final Pseudonyms blobPseudonyms;
  private final Duration uploadValidity;
  private final long maxUploadBytes;
  private final Clock clock;

  public CredentialIssuer(
      List<String> relayUrls,
      byte[] turnSecret,
      Pseudonyms relayPseudonyms,
      Duration turnLifetime,
      UploadTokens uploadTokens,
      Pseudonyms blobPseudonyms,
      Duration uploadValidity,
      long maxUploadBytes,
      Clock clock) {
    this.relayUrls = List.copyOf(relayUrls);
    this.turnSecret = turnSecret == null ? null : turnSecret.clone();
    this.relayPseudonyms = relayPseudonyms;
    this.turnLifetime = turnLifetime;
    this.uploadTokens = uploadTokens;
    this.blobPseudonyms = blobPseudonyms;
    this.uploadValidity = uploadValidity;
    this.maxUploadBytes = maxUploadBytes;
    this.clock = clock;
  }

  public boolean turnAvailable() {
    return turnSecret != null && !relayUrls.isEmpty();
  }

  public boolean uploadsAvailable() {
    return uploadTokens != null;
  }

  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  /** Relay credentials for {@code identity}; the username holds today's relay pseudonym only. */
  public ServerFrame.TurnCredentials turn(String requestId, String identity) {
    Instant now = clock.instant();
    long expires = now.plus(turnLifetime).getEpochSecond();
    String username = expires + ":" + relayPseudonyms.daily(identity, now);
    return new ServerFrame.TurnCredentials(
        requestId,
        relayUrls,
        username,
        TurnCredentials.restPassword(turnSecret, username),
        expires);
  }

  /** An upload token for {@code identity}'s blob pseudonym, allowing {@code cap} bytes. */
  public ServerFrame.UploadToken upload(String requestId, String identity, long cap) {
    String token = uploadTokens.issue(blobPseudonyms.constant(identity), cap, uploadValidity);
    return new ServerFrame.UploadToken(
        requestId, token, clock.instant().plus(uploadValidity).getEpochSecond());
  }
}
