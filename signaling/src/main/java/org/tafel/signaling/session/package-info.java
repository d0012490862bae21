/**
 * One WebSocket connection's protocol state (DESIGN.md §3, §4; docs/protocol.md): the handshake
 * ({@code hello}, then {@code register} or {@code login}, verified with {@link
 * org.tafel.protocol.signaling.Handshake}), one live session per identity ({@link
 * org.tafel.signaling.session.SessionRegistry}; a newer login closes the older with close code 4001
 * {@code replaced}), and the requests of a logged-in session. A session's state is confined to its
 * channel's event loop; blocking store reads run on the store executor and hop back.
 */
package org.tafel.signaling.session;
