/**
 * tus 1.0.0 resumable uploads at {@code /v1/uploads} (https://tus.io/protocols/resumable-upload):
 * core, creation, creation-with-upload, expiration, termination and checksum (sha1, sha256). An
 * upload has its own random ID, distinct from the blob ID it yields; its state (offset, the
 * finished blob's ID and delete token) is a 0600 JSON file beside its bytes, so a client resumes
 * after a dropped connection or a server restart, and later {@code HEAD}s return {@code
 * Tafel-Blob-Id} and {@code Tafel-Delete-Token} until the upload record expires.
 */
package org.tafel.blob.tus;
