/**
 * Long-term credentials (RFC 8489 §9.2): stateless nonces, TURN REST ephemeral credentials
 * (draft-uberti-behave-turn-rest-00, coturn {@code use-auth-secret}) and static users.
 */
package org.tafel.relay.auth;
