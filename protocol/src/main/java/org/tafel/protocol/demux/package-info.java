/**
 * First-byte demultiplexing of packets sharing one port: RFC 7983 §7 (STUN, ZRTP, DTLS, RTP/RTCP),
 * with TURN ChannelData (64..79) per RFC 9443 §3.
 */
package org.tafel.protocol.demux;
