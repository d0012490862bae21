/**
 * Request handling (RFC 8489 §6.3, RFC 8656 §7–§12): demultiplexing (RFC 7983), authentication, and
 * one named step per check of Allocate, Refresh, CreatePermission and ChannelBind.
 */
package org.tafel.relay.dispatch;
