package org.dpacs.server.dicomweb;

import org.dpacs.server.catalog.InstanceRecord;

/**
 * The Studies Service URLs (PS3.18 10.4.1) under one DICOMweb root, for RetrieveURL, BulkDataURI and
 * Content-Location. UIDs need no escaping: they are digits and dots (PS3.5 9.1).
 */
record RetrieveUrls(String base) {

    String study(String study) {
        return base + "/studies/" + study;
    }

    String series(String study, String series) {
        return study(study) + "/series/" + series;
    }

    String instance(String study, String series, String sop) {
        return series(study, series) + "/instances/" + sop;
    }

    String instance(InstanceRecord r) {
        return instance(r.studyInstanceUid(), r.seriesInstanceUid(), r.sopInstanceUid());
    }

    /** A bulk data URI: {@code path} in the TagPath form {@code 00081115/0/00081150}. */
    String bulk(InstanceRecord r, String path) {
        return instance(r) + "/bulk/" + path;
    }

    String frame(InstanceRecord r, int frame) {
        return instance(r) + "/frames/" + frame;
    }
}
