/**
 * Received files on disk (DESIGN.md §6): a name from another party is reduced to a safe base name
 * and never overwrites an existing file. The encryption is {@link
 * org.tafel.client.crypto.ChunkedFileCipher}; upload and download clients come with the blob store.
 */
package org.tafel.client.files;
