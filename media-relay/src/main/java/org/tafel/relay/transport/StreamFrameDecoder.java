package org.tafel.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.tafel.protocol.stun.TurnFraming;
import org.tafel.relay.RelayMetrics;
import org.tafel.relay.RelayMetrics.DropReason;

/**
 * Frames STUN messages and padded ChannelData on a TCP or TLS stream (RFC 8656 §12.5). Bytes that
 * are neither cannot be resynchronised: the connection is closed.
 */
public final class StreamFrameDecoder extends ByteToMessageDecoder {
  private final RelayMetrics metrics;

  public StreamFrameDecoder(RelayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 4) {
      int len = TurnFraming.frameLength(in, in.readerIndex(), true);
      if (len < 0) {
        metrics.drop(DropReason.MALFORMED);
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
      if (in.readableBytes() < len) {
        return;
      }
      out.add(in.readRetainedSlice(len));
    }
  }
}
