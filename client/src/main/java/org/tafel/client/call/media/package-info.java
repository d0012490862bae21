/**
 * A call's media path once ICE has connected: synthetic audio (50 packets/s, Opus-sized) and video
 * (30 frames/s in RTP packets of at most 1200 bytes) protected with SRTP; a receiver that
 * authenticates every packet and measures loss and interarrival jitter (RFC 3550 §6.4.1, A.3, A.8);
 * round-trip time from SRTCP Sender Reports (RFC 3550 §6.4.1 LSR/DLSR).
 */
package org.tafel.client.call.media;
