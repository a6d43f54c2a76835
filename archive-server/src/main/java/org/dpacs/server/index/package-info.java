/**
 * The search index: Lucene documents of the stored studies, series and instances, and the translation of QIDO-RS
 * searches into Lucene queries ({@link org.dpacs.server.index.StudyIndex}, {@link org.dpacs.server.index.QidoQuery}).
 * It also keeps each instance's header as DICOM JSON, which WADO-RS metadata serves without opening objects.
 *
 * <p>Not for: the durable record of what is stored (that is the catalog; this index is derived from it and can be
 * rebuilt), HTTP (the dicomweb package), or access control.
 */
package org.dpacs.server.index;
