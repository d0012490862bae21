/**
 * Durable state behind small interfaces (DESIGN.md §7): {@link
 * org.tafel.signaling.store.IdentityStore} (identities, findable hashes), {@link
 * org.tafel.signaling.store.LicenceStore} (licence codes) and {@link
 * org.tafel.signaling.store.EnvelopeStore} (envelope queues and expiry receipts). {@link
 * org.tafel.signaling.store.SqliteStore} implements all three on one SQLite file ({@code
 * DATA/signaling.db}: WAL, {@code synchronous=FULL}, busy timeout, {@code secure_delete}), so admin
 * commands work while the server runs; PostgreSQL and Redis implementations can follow the same
 * interfaces. docs/retention.md lists what each table keeps and when it is deleted.
 */
package org.tafel.signaling.store;
