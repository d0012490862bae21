package org.tafel.client.call.srtp;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * Protects (sender) or unprotects (receiver) the RTP and RTCP of one direction of a call under one
 * master key: a jitsi-srtp context per SSRC, created on first use, at most {@link #MAX_SOURCES} per
 * direction so garbage SSRCs cannot grow memory. Not thread-safe per direction; use one instance
 * per sending thread and one per receiving thread.
 */
public final class SrtpTransformer implements AutoCloseable {
  public static final int MAX_SOURCES = 8;

  private final boolean sender;
  private final SrtpContextFactory factory;
  private final SrtpProfile profile;
  private final Map<Integer, SrtpCryptoContext> rtp = new HashMap<>();
  private final Map<Integer, SrtcpCryptoContext> rtcp = new HashMap<>();

  private SrtpTransformer(boolean sender, SrtpMasterKey key) {
    this.sender = sender;
    this.profile = key.profile();
    this.factory =
        new SrtpContextFactory(
            sender,
            key.key(),
            key.salt(),
            key.profile().policy(),
            key.profile().policy(),
            new LoggerImpl(SrtpTransformer.class.getName()));
  }

  public static SrtpTransformer sender(SrtpMasterKey key) {
    return new SrtpTransformer(true, key);
  }

  public static SrtpTransformer receiver(SrtpMasterKey key) {
    return new SrtpTransformer(false, key);
  }

  public SrtpProfile profile() {
    return profile;
  }

  /**
   * Encrypts the RTP packet in {@code buf[0..len)} in place and appends the tag; {@code buf} needs
   * {@link SrtpProfile#tagLength()} bytes of room. Returns the SRTP length.
   */
  public int protectRtp(byte[] buf, int len) {
    requireSender();
    PacketBuffer p = new PacketBuffer(buf, 0, len);
    SrtpErrorStatus s = call(() -> rtpContext(ssrc(buf)).transformPacket(p));
    return finish(s, p, buf, "RTP");
  }

  /** As {@link #protectRtp} for RTCP; needs tag length + 4 bytes of room. */
  public int protectRtcp(byte[] buf, int len) {
    requireSender();
    PacketBuffer p = new PacketBuffer(buf, 0, len);
    SrtpErrorStatus s = call(() -> rtcpContext(rtcpSsrc(buf)).transformPacket(p));
    return finish(s, p, buf, "RTCP");
  }

  /**
   * Authenticates and decrypts the SRTP packet in {@code buf[0..len)} in place. On {@link
   * SrtpStatus#OK} the RTP packet is {@code buf[0..result.length())}.
   */
  public Result unprotectRtp(byte[] buf, int len) {
    requireReceiver();
    if (len < 12 + profile.tagLength()) {
      return new Result(SrtpStatus.INVALID, 0);
    }
    int ssrc = ssrc(buf);
    if (!rtp.containsKey(ssrc) && rtp.size() >= MAX_SOURCES) {
      return new Result(SrtpStatus.UNKNOWN_SOURCE, 0);
    }
    PacketBuffer p = new PacketBuffer(buf, 0, len);
    SrtpErrorStatus s = call(() -> rtpContext(ssrc).reverseTransformPacket(p, false));
    return result(s, p);
  }

  public Result unprotectRtcp(byte[] buf, int len) {
    requireReceiver();
    if (len < 8 + 4 + profile.tagLength()) {
      return new Result(SrtpStatus.INVALID, 0);
    }
    int ssrc = rtcpSsrc(buf);
    if (!rtcp.containsKey(ssrc) && rtcp.size() >= MAX_SOURCES) {
      return new Result(SrtpStatus.UNKNOWN_SOURCE, 0);
    }
    PacketBuffer p = new PacketBuffer(buf, 0, len);
    SrtpErrorStatus s = call(() -> rtcpContext(ssrc).reverseTransformPacket(p));
    return result(s, p);
  }

  /**
   * Derives the RTP and RTCP contexts of {@code ssrc} now. The first context in a JVM also makes
   * jitsi-srtp pick its AES provider by benchmark (about two seconds); do it before media flows.
   */
  public void prepare(int ssrc) {
    SrtpErrorStatus s =
        call(
            () -> {
              rtpContext(ssrc);
              rtcpContext(ssrc);
              return SrtpErrorStatus.OK;
            });
    if (s != SrtpErrorStatus.OK) {
      throw new IllegalStateException("SRTP context derivation failed: " + s);
    }
  }

  /** The status of one unprotect, and the plaintext length when OK. */
  public record Result(SrtpStatus status, int length) {}

  @Override
  public void close() {
    factory.close();
    rtp.clear();
    rtcp.clear();
  }

  private SrtpCryptoContext rtpContext(int ssrc) throws GeneralSecurityException {
    SrtpCryptoContext c = rtp.get(ssrc);
    if (c == null) {
      c = factory.deriveContext(ssrc, 0);
      rtp.put(ssrc, c);
    }
    return c;
  }

  private SrtcpCryptoContext rtcpContext(int ssrc) throws GeneralSecurityException {
    SrtcpCryptoContext c = rtcp.get(ssrc);
    if (c == null) {
      c = factory.deriveControlContext(ssrc);
      rtcp.put(ssrc, c);
    }
    return c;
  }

  private static Result result(SrtpErrorStatus s, PacketBuffer p) {
    return switch (s) {
      case OK -> new Result(SrtpStatus.OK, p.getLength());
      case AUTH_FAIL -> new Result(SrtpStatus.AUTH_FAIL, 0);
      case REPLAY_FAIL, REPLAY_OLD -> new Result(SrtpStatus.REPLAY, 0);
      default -> new Result(SrtpStatus.INVALID, 0);
    };
  }

  private static int finish(SrtpErrorStatus s, PacketBuffer p, byte[] buf, String what) {
    if (s != SrtpErrorStatus.OK) {
      throw new IllegalStateException("SRTP protect of " + what + " failed: " + s);
    }
    if (p.getBuffer() != buf) {
      throw new IllegalArgumentException(
          what + " buffer has no room for the SRTP tag (needs " + p.getLength() + " bytes)");
    }
    return p.getLength();
  }

  private void requireSender() {
    if (!sender) {
      throw new IllegalStateException("this transformer unprotects; use SrtpTransformer.sender");
    }
  }

  private void requireReceiver() {
    if (sender) {
      throw new IllegalStateException("this transformer protects; use SrtpTransformer.receiver");
    }
  }

  private static int ssrc(byte[] b) {
    return (b[8] & 0xff) << 24 | (b[9] & 0xff) << 16 | (b[10] & 0xff) << 8 | (b[11] & 0xff);
  }

  private static int rtcpSsrc(byte[] b) {
    return (b[4] & 0xff) << 24 | (b[5] & 0xff) << 16 | (b[6] & 0xff) << 8 | (b[7] & 0xff);
  }

  private interface SrtpCall {
    SrtpErrorStatus run() throws GeneralSecurityException;
  }

  private static SrtpErrorStatus call(SrtpCall c) {
    try {
      return c.run();
    } catch (GeneralSecurityException e) {
      return SrtpErrorStatus.FAIL;
    }
  }
}
