package org.dpacs.bench.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * WADO-RS as a viewer opens a CT series: the series metadata (all instances, DICOM JSON), the first frames it
 * draws, and, for a download or a prefetching client, the whole series as {@code multipart/related;
 * type="application/dicom"}. Frames are fetched as OHIF v3 (cornerstone's DICOMweb image loader) does: one
 * request per instance for frame 1, {@code Accept: multipart/related; type="application/octet-stream";
 * transfer-syntax=*}; here the 13 requests go one after another, so the set's time is their sum.
 */
final class RetrievePhase {
    private static final String FRAME_ACCEPT =
            "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final String SERIES_ACCEPT = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final int FRAME_BYTES = 512 * 512 * 2;

    private final Http http;
    private final Workload w;
    private final StoredUids uids;

    RetrievePhase(Http http, Workload workload, StoredUids uids) {
        this.http = http;
        this.w = workload;
        this.uids = uids;
    }

    List<Row> run(CtSet ct, QueryPhase.Monitor monitor) {
        List<Row> rows = new ArrayList<>();
        monitor.phase("metadata");
        rows.addAll(metadata(ct));
        monitor.phase("frames");
        rows.addAll(frames(ct));
        monitor.phase("series");
        rows.add(series(ct));
        return rows;
    }

    private StoredUids.Stored instance(CtSet ct, int study, int number) {
        return uids.of(ct.studyUid(study), ct.seriesUid(study), ct.sopUid(study, number));
    }

    private String seriesPath(CtSet ct, int study) {
        StoredUids.Stored first = instance(ct, study, 1);
        return "/studies/" + first.study() + "/series/" + first.series();
    }

    /** The first request of a series is reported apart: a server may build and cache the answer then. */
    private List<Row> metadata(CtSet ct) {
        String first = "WADO series metadata, first request";
        String name = "WADO series metadata (" + w.slices() + " instances)";
        try {
            Samples cold = new Samples();
            Http.Fetched f = metadataOf(ct, 0);
            cold.add(f.nanos());
            Row firstRow = Row.transfer(first, cold, f.items(), f.bytes(), "");
            for (int i = 0; i < w.warmups(); i++) {
                metadataOf(ct, 0);
            }
            Samples samples = new Samples();
            long instances = 0;
            long bytes = 0;
            for (int i = 0; i < w.retrieveRepeats(); i++) {
                f = metadataOf(ct, 0);
                samples.add(f.nanos());
                instances += f.items();
                bytes += f.bytes();
            }
            return List.of(firstRow, Row.transfer(name, samples, instances, bytes,
                    String.format(Locale.ROOT, "%.0f KB of JSON", f.bytes() / 1e3)));
        } catch (IOException | InterruptedException e) {
            return List.of(Row.failed(first, e), Row.failed(name, e));
        }
    }

    private Http.Fetched metadataOf(CtSet ct, int study) throws IOException, InterruptedException {
        Http.Fetched f = http.get(seriesPath(ct, study) + "/metadata", "application/dicom+json",
                Http.Count.JSON_ARRAY);
        if (f.items() != w.slices()) {
            throw new IOException("series metadata listed " + f.items() + " instances, not " + w.slices());
        }
        return f;
    }

    /** Round r shows 13 consecutive slices starting at a different place, as scrolling through a series. */
    private List<Row> frames(CtSet ct) {
        String single = "WADO frame (1 request)";
        String set = "WADO 13 frames (13 requests, sequential)";
        try {
            Samples perFrame = new Samples();
            Samples perSet = new Samples();
            long frames = 0;
            long bytes = 0;
            for (int r = -w.warmups(); r < w.retrieveRepeats(); r++) {
                int study = Math.floorMod(r, ct.studies());
                int start = 1 + Math.floorMod(r * 37, w.slices() - Workload.FRAME_SET + 1);
                long setNanos = 0;
                for (int i = start; i < start + Workload.FRAME_SET; i++) {
                    Http.Fetched f = http.get(seriesPath(ct, study) + "/instances/" + instance(ct, study, i).sop()
                            + "/frames/1", FRAME_ACCEPT, Http.Count.MULTIPART_PARTS);
                    if (f.items() != 1 || f.bytes() < FRAME_BYTES) {
                        throw new IOException("frame 1 of instance " + i + " came as " + f.items() + " parts, "
                                + f.bytes() + " bytes");
                    }
                    if (r >= 0) {
                        perFrame.add(f.nanos());
                        setNanos += f.nanos();
                        frames++;
                        bytes += f.bytes();
                    }
                }
                if (r >= 0) {
                    perSet.add(setNanos);
                }
            }
            return List.of(Row.transfer(single, perFrame, frames, bytes, "512x512x16 native"),
                    Row.transfer(set, perSet, frames, bytes, "sum of 13 sequential requests"));
        } catch (IOException | InterruptedException e) {
            return List.of(Row.failed(single, e), Row.failed(set, e));
        }
    }

    private Row series(CtSet ct) {
        String name = "WADO series (multipart application/dicom)";
        try {
            Samples samples = new Samples();
            long instances = 0;
            long bytes = 0;
            for (int r = -Math.min(1, w.warmups()); r < w.seriesRepeats(); r++) {
                int study = Math.floorMod(r, ct.studies());
                Http.Fetched f = http.get(seriesPath(ct, study), SERIES_ACCEPT, Http.Count.MULTIPART_PARTS);
                if (f.items() != w.slices()) {
                    throw new IOException("series retrieve gave " + f.items() + " parts, not " + w.slices());
                }
                if (r >= 0) {
                    samples.add(f.nanos());
                    instances += f.items();
                    bytes += f.bytes();
                }
            }
            return Row.transfer(name, samples, instances, bytes, "");
        } catch (IOException | InterruptedException e) {
            return Row.failed(name, e);
        }
    }
}
