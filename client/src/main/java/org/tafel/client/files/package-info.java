/**
 * Files (DESIGN.md §6): preparing one to send ({@link org.tafel.client.files.OutgoingFile}), the
 * {@code file} message, moving the ciphertext to and from the blob store ({@link
 * org.tafel.client.files.BlobClient}: tus 1.0 uploads resumed after a broken connection, downloads
 * resumed with {@code Range}, RFC 9110 §14), progress for people ({@link
 * org.tafel.client.files.ProgressBar}), and saving a received file: a name from another party is
 * reduced to a safe base name and never overwrites an existing file. The encryption is {@link
 * org.tafel.client.crypto.ChunkedFileCipher}.
 */
package org.tafel.client.files;
