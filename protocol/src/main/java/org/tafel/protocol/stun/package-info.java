/**
 * Pure STUN/TURN codec over Netty {@code ByteBuf}s: no channels, no allocation on the hot path.
 *
 * <ul>
 *   <li>RFC 8489 (STUN) §5 message structure, §6 method/class encoding, §14 attributes, §14.5
 *       MESSAGE-INTEGRITY, §14.6 MESSAGE-INTEGRITY-SHA256, §14.7 FINGERPRINT, §9.2.2 long-term key,
 *       §18.3 error codes; RFC 5389 §15.4 for the SHA-1 integrity; RFC 4013 SASLprep.
 *   <li>RFC 8656 (TURN) §12 ChannelData, §11 Send/Data indications, §18 TURN attributes, §19 error
 *       codes; RFC 6156 §4 REQUESTED-ADDRESS-FAMILY.
 *   <li>RFC 5769 test vectors; draft-uberti-behave-turn-rest-00 §2.2 ephemeral credentials.
 * </ul>
 */
package org.tafel.protocol.stun;
