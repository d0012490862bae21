/**
 * WebSocket transport (RFC 6455) on Netty: HTTP/1.1 upgrade at {@code /v1/ws}, text frames only, a
 * message limit ({@code limits.max-frame-bytes}, default 96 KiB; larger frames or messages close
 * the connection with 1009), pings answered by Netty, an idle timeout (close code 4003). Frames are
 * decoded with {@link org.tafel.protocol.signaling.FrameCodec} and handed to the connection's
 * {@link org.tafel.signaling.session.Session}; a frame that does not decode is answered with an
 * {@code error} frame and the connection stays.
 */
package org.tafel.signaling.transport;
