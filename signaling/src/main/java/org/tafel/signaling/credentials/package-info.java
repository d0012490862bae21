/**
 * Credentials signaling hands to logged-in identities for the other services (DESIGN.md §4): TURN
 * REST relay credentials (username {@code expiry:pseudonym} with the relay's daily pseudonym,
 * password {@code base64(HMAC-SHA1(secret, username))}, draft-uberti-behave-turn-rest-00 §2.2) and
 * {@code ut1} upload tokens whose subject is the blob-store pseudonym. Neither carries the identity
 * ID.
 */
package org.tafel.signaling.credentials;
