/**
 * Calls (DESIGN.md §4 "Call signaling"): the end-to-end-encrypted payloads {@code call-offer},
 * {@code call-ringing}, {@code call-answer}, {@code call-candidates} and {@code call-hangup} as
 * records with their JSON form ({@link org.tafel.client.call.CallPayloads}); ICE through the Tafel
 * relay in {@code ice/}, SRTP in {@code srtp/}, media and statistics in {@code media/}.
 */
package org.tafel.client.call;
