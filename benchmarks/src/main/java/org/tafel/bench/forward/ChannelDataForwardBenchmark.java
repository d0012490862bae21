package org.tafel.bench.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tafel.protocol.stun.TurnFraming;
import org.tafel.relay.forward.Headroom;
import org.tafel.relay.forward.HeadroomRecvByteBufAllocator;

/**
 * The per-datagram buffer work of the ChannelData and Data indication paths (RFC 8656 §11, §12),
 * without sockets: what {@code PeerForwarder} and {@code ClientForwarder} do to a received buffer
 * between the transport's read and its write.
 *
 * <p>Every benchmark starts from a pooled direct buffer laid out like the one {@link
 * HeadroomRecvByteBufAllocator} hands to the transport (a retained slice {@link
 * HeadroomRecvByteBufAllocator#HEADROOM} bytes into a pooled root), so the cost of taking and
 * returning the receive buffer is counted; the payload bytes are not written (the kernel does
 * that). The {@code *Only} variants reuse one buffer and measure the framing alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Dio.netty.leakDetection.level=disabled",
      "-Djmh.executor=CUSTOM",
      "-Djmh.executor.class=org.tafel.bench.NettyThreadExecutor",
      "-Xms512m",
      "-Xmx512m"
    })
public class ChannelDataForwardBenchmark {
  private static final int CHANNEL = 0x4000;
  private static final int PEER_IPV4 = 0x7f000001;
  private static final int PEER_PORT = 50000;

  @Param({"160", "1200"})
  public int payloadSize;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private ByteBuf reused;
  private ByteBuf clientFrame;
  private ByteBuf lastRoot;

  @Setup(Level.Trial)
  public void setUp() {
    reused = receive();
    clientFrame = receive();
    clientFrame.setShort(0, CHANNEL);
    clientFrame.setShort(2, payloadSize);
    clientFrame.writerIndex(TurnFraming.CHANNEL_DATA_HEADER + payloadSize);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    reused.release();
    clientFrame.release();
  }

  /**
   * A receive buffer as the relay socket's allocator lays it out, holding one datagram; its root is
   * remembered as {@code HeadroomRecvByteBufAllocator.lastRoot()} remembers it.
   */
  private ByteBuf receive() {
    ByteBuf root =
        alloc.directBuffer(
            HeadroomRecvByteBufAllocator.HEADROOM + HeadroomRecvByteBufAllocator.MAX_DATAGRAM + 4);
    ByteBuf view =
        root.retainedSlice(
            HeadroomRecvByteBufAllocator.HEADROOM, HeadroomRecvByteBufAllocator.MAX_DATAGRAM);
    root.release();
    lastRoot = root;
    view.clear();
    view.writerIndex(payloadSize);
    return view;
  }

  /** The receive buffer alone: pooled root, retained slice past the headroom, release. */
  @Benchmark
  public int receiveAndRelease() {
    ByteBuf b = receive();
    int n = b.readableBytes();
    b.release();
    return n;
  }

  /** Peer to client: receive, find the headroom, write the ChannelData header in place, release. */
  @Benchmark
  public int peerToClientChannelData() {
    ByteBuf out = Headroom.expand(receive(), lastRoot, TurnFraming.CHANNEL_DATA_HEADER, 3);
    TurnFraming.prependChannelDataHeader(out, CHANNEL);
    int first = out.getInt(out.readerIndex());
    out.release();
    return first;
  }

  /** Peer to client over TCP/TLS: as above plus the padding to 4 bytes (RFC 8656 §12.5). */
  @Benchmark
  public int peerToClientChannelDataStream() {
    ByteBuf out = Headroom.expand(receive(), lastRoot, TurnFraming.CHANNEL_DATA_HEADER, 3);
    TurnFraming.prependChannelDataHeader(out, CHANNEL);
    TurnFraming.padTo4(out);
    int first = out.getInt(out.readerIndex());
    out.release();
    return first;
  }

  /** Peer to client without a channel: a Data indication (IPv4 peer) written in place. */
  @Benchmark
  public int peerToClientDataIndication() {
    ByteBuf out = Headroom.expand(receive(), lastRoot, TurnFraming.DATA_INDICATION_HEADROOM, 3);
    TurnFraming.prependDataIndication(out, PEER_IPV4, PEER_PORT);
    int first = out.getInt(out.readerIndex());
    out.release();
    return first;
  }

  /** Framing alone: the ChannelData header into a buffer that already has its headroom. */
  @Benchmark
  public int channelDataHeaderOnly() {
    reused.setIndex(HeadroomRecvByteBufAllocator.HEADROOM, HeadroomRecvByteBufAllocator.HEADROOM);
    reused.writerIndex(HeadroomRecvByteBufAllocator.HEADROOM + payloadSize);
    TurnFraming.prependChannelDataHeader(reused, CHANNEL);
    return reused.getInt(reused.readerIndex());
  }

  /** Framing alone: the Data indication header into a buffer that already has its headroom. */
  @Benchmark
  public int dataIndicationHeaderOnly() {
    reused.setIndex(HeadroomRecvByteBufAllocator.HEADROOM, HeadroomRecvByteBufAllocator.HEADROOM);
    reused.writerIndex(HeadroomRecvByteBufAllocator.HEADROOM + payloadSize);
    TurnFraming.prependDataIndication(reused, PEER_IPV4, PEER_PORT);
    return reused.getInt(reused.readerIndex());
  }

  /**
   * Client to peer: receive a ChannelData datagram, read and check its header, slice the payload
   * out (retained, as written to the relay socket), release both.
   */
  @Benchmark
  public int clientToPeerChannelData() {
    ByteBuf frame = receive();
    frame.setShort(0, CHANNEL);
    frame.setShort(2, payloadSize);
    frame.writerIndex(TurnFraming.CHANNEL_DATA_HEADER + payloadSize);
    return sliceChannelData(frame, true);
  }

  /** Client to peer, header and slice alone, on one frame kept across calls. */
  @Benchmark
  public int clientToPeerSliceOnly() {
    return sliceChannelData(clientFrame, false);
  }

  private static int sliceChannelData(ByteBuf frame, boolean releaseFrame) {
    int start = frame.readerIndex();
    int number = frame.getUnsignedShort(start);
    int length = frame.getUnsignedShort(start + 2);
    if (!TurnFraming.isChannelNumber(number)
        || length > frame.readableBytes() - TurnFraming.CHANNEL_DATA_HEADER) {
      throw new IllegalStateException("bad frame");
    }
    ByteBuf payload = frame.retainedSlice(start + TurnFraming.CHANNEL_DATA_HEADER, length);
    if (releaseFrame) {
      frame.release();
    }
    int n = payload.readableBytes() + number;
    payload.release();
    return n;
  }
}
