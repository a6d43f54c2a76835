package org.dpacs.bench.web;

import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * QIDO-RS as OHIF v3's study list and study load send it (extensions/default DicomWebDataSource qido.js):
 * study searches with {@code limit=101&offset=0&fuzzymatching=false&includefield=00081030,00080060} and a
 * {@code *term*} wildcard on PatientName; series of a study with {@code includefield=0008103E,00080021}. The
 * instance search has no OHIF counterpart (OHIF loads series metadata instead) and asks for the whole series.
 * Each query is sent {@link Workload#warmups} times untimed, then {@link Workload#queryRepeats} times timed,
 * one at a time.
 */
final class QueryPhase {
    private static final String STUDY_LIST = "&limit=101&offset=0&fuzzymatching=false&includefield=00081030,00080060";
    private static final String JSON = "application/dicom+json";

    record Query(String name, String path) {
    }

    private final Http http;
    private final Workload workload;

    QueryPhase(Http http, Workload workload) {
        this.http = http;
        this.workload = workload;
    }

    static List<Query> queries(CtSet ct, StoredUids uids, Workload w) {
        StoredUids.Stored first = uids.of(ct.studyUid(0), ct.seriesUid(0), ct.sopUid(0, 1));
        String study = first.study();
        String lastDay = FillSet.FIRST_DATE.plusDays(89).format(DateTimeFormatter.BASIC_ISO_DATE);
        return List.of(
                new Query("QIDO studies PatientName=*PATIENT000*", "/studies?PatientName=*PATIENT000*" + STUDY_LIST),
                new Query("QIDO studies StudyDate range (90 days)", "/studies?StudyDate="
                        + FillSet.studyDate(0) + "-" + lastDay + STUDY_LIST),
                new Query("QIDO studies StudyInstanceUID", "/studies?StudyInstanceUID=" + study + STUDY_LIST),
                new Query("QIDO series of a study", "/studies/" + study + "/series?includefield=0008103E,00080021"),
                new Query("QIDO instances of a series (" + w.slices() + ")", "/studies/" + study + "/series/"
                        + first.series() + "/instances?limit=" + w.slices()));
    }

    List<Row> run(CtSet ct, StoredUids uids, Monitor monitor) {
        List<Row> rows = new ArrayList<>();
        for (Query q : queries(ct, uids, workload)) {
            monitor.phase("qido");
            rows.add(time(q));
        }
        return rows;
    }

    private Row time(Query q) {
        try {
            for (int i = 0; i < workload.warmups(); i++) {
                http.get(q.path(), JSON, Http.Count.JSON_ARRAY);
            }
            Samples samples = new Samples();
            long matches = -1;
            for (int i = 0; i < workload.queryRepeats(); i++) {
                Http.Fetched f = http.get(q.path(), JSON, Http.Count.JSON_ARRAY);
                samples.add(f.nanos());
                if (matches >= 0 && matches != f.items()) {
                    throw new IOException(q.path() + " gave " + matches + " then " + f.items() + " matches");
                }
                matches = f.items();
            }
            return Row.latency(q.name(), samples, matches, matches + " matches");
        } catch (IOException | InterruptedException e) {
            return Row.failed(q.name(), e);
        }
    }

    /** What a phase needs of the server monitor; lets the phases run with no monitor in a test. */
    interface Monitor {
        void phase(String name);
    }
}
