/**
 * Where blob bytes and their metadata live (DESIGN.md §6 crash safety, §7 storage). {@link
 * org.tafel.blob.storage.BlobStorage} is the small interface an S3 implementation can fill; {@link
 * org.tafel.blob.storage.FileBlobStorage} is the filesystem default: temporary file, fsync, atomic
 * rename, directory fsync, with the metadata in a sidecar written the same way just before the
 * data's rename. {@link org.tafel.blob.storage.BlobCatalog} enforces expiry and download counts on
 * every read.
 */
package org.tafel.blob.storage;
