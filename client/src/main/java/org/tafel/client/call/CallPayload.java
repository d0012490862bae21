package org.tafel.client.call;

import org.tafel.client.crypto.MessageType;

/** One call-signalling payload; it travels as the body of a sealed message of its type. */
public sealed interface CallPayload
    permits CallPayload.Offer,
        CallPayload.Ringing,
        CallPayload.Answer,
        CallPayload.Candidates,
        CallPayload.Hangup {

  String callId();

  MessageType messageType();

  /**
   * {@code call-offer}: the caller's ICE parameters and relayed candidates, the SRTP profiles it
   * offers in order of preference each with the caller's sending key, and the media kinds.
   */
  record Offer(
      String callId,
      IceParameters ice,
      java.util.List<IceCandidate> candidates,
      java.util.List<SrtpCrypto> srtp,
      java.util.Set<MediaKind> media)
      implements CallPayload {
    public Offer {
      CallPayloads.checkCallId(callId);
      CallPayloads.require(ice != null, "ice: missing");
      candidates = CallPayloads.checkCandidates(candidates);
      CallPayloads.require(
          srtp != null && !srtp.isEmpty() && srtp.size() <= 4, "srtp: expected 1..4 profiles");
      srtp = java.util.List.copyOf(srtp);
      CallPayloads.require(
          media != null && !media.isEmpty(), "media: expected audio, video or both");
      media = java.util.Set.copyOf(media);
    }

    @Override
    public MessageType messageType() {
      return MessageType.CALL_OFFER;
    }
  }

  /** {@code call-ringing}: the callee's device shows the call. */
  record Ringing(String callId) implements CallPayload {
    public Ringing {
      CallPayloads.checkCallId(callId);
    }

    @Override
    public MessageType messageType() {
      return MessageType.CALL_RINGING;
    }
  }

  /**
   * {@code call-answer}: the callee accepts with its ICE parameters and candidates, the one SRTP
   * profile it chose from the offer with the callee's sending key, and the media kinds it sends.
   */
  record Answer(
      String callId,
      IceParameters ice,
      java.util.List<IceCandidate> candidates,
      SrtpCrypto srtp,
      java.util.Set<MediaKind> media)
      implements CallPayload {
    public Answer {
      CallPayloads.checkCallId(callId);
      CallPayloads.require(ice != null, "ice: missing");
      candidates = CallPayloads.checkCandidates(candidates);
      CallPayloads.require(srtp != null, "srtp: missing");
      CallPayloads.require(
          media != null && !media.isEmpty(), "media: expected audio, video or both");
      media = java.util.Set.copyOf(media);
    }

    @Override
    public MessageType messageType() {
      return MessageType.CALL_ANSWER;
    }
  }

  /**
   * {@code call-candidates}: candidates gathered later (trickle ICE, RFC 8838); {@code done} ends
   * them.
   */
  record Candidates(String callId, java.util.List<IceCandidate> candidates, boolean done)
      implements CallPayload {
    public Candidates {
      CallPayloads.checkCallId(callId);
      candidates = CallPayloads.checkCandidates(candidates);
    }

    @Override
    public MessageType messageType() {
      return MessageType.CALL_CANDIDATES;
    }
  }

  /** {@code call-hangup}: the call ends (or is declined, or cancelled before an answer). */
  record Hangup(String callId, HangupReason reason) implements CallPayload {
    public Hangup {
      CallPayloads.checkCallId(callId);
      CallPayloads.require(reason != null, "reason: missing");
    }

    @Override
    public MessageType messageType() {
      return MessageType.CALL_HANGUP;
    }
  }
}
