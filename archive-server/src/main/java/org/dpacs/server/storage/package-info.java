/**
 * Where the bytes of stored objects live: {@link org.dpacs.server.storage.ObjectStore} and its filesystem
 * implementation {@link org.dpacs.server.storage.FileObjectStore} (S3 to follow). Keys are '/'-separated
 * paths checked by one rule for every backend. This package knows nothing of DICOM or of the catalog; what an
 * object is and whether it is acknowledged is decided by ingest/ and recorded in catalog/.
 */
package org.dpacs.server.storage;
