/**
 * SRTP (RFC 3711) and AES-GCM SRTP (RFC 7714) on {@code org.jitsi:jitsi-srtp}: the two profiles
 * Tafel offers, their master keys (exchanged SDES-style inside the end-to-end-encrypted offer and
 * answer, DESIGN.md §4), and one protect/unprotect object per direction. Formats: docs/client.md.
 */
package org.tafel.client.call.srtp;
