/**
 * The few RTP and RTCP (RFC 3550) structures a call needs: the fixed RTP header, Sender and
 * Receiver Reports with report blocks (§6.4), and RTCP/RTP demultiplexing on one port (RFC 5761
 * §4).
 */
package org.tafel.client.call.rtp;
