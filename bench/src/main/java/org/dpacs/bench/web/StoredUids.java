package org.dpacs.bench.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each CT instance the driver sent was stored, as the STOW-RS responses' Retrieve URLs say. Without
 * de-identification these are the UIDs sent; a server that de-identifies on ingest (dPACS's default profile
 * replaces UIDs with pseudonyms) stores them under new ones, and the searches and retrievals must use those.
 */
final class StoredUids {
    /** The stored identity of one instance. */
    record Stored(String study, String series, String sop) {
    }

    private static final Pattern INSTANCE_URL =
            Pattern.compile("/studies/([^/]+)/series/([^/]+)/instances/([^/?]+)$");

    private final Map<String, Stored> bySentSop = new ConcurrentHashMap<>();

    /** Records that the instance sent as {@code sentSop} is retrievable at {@code retrieveUrl}. */
    void put(String sentSop, String retrieveUrl) {
        Matcher m = INSTANCE_URL.matcher(retrieveUrl);
        if (!m.find()) {
            throw new IllegalArgumentException("'" + retrieveUrl + "' is not an instance Retrieve URL");
        }
        bySentSop.put(sentSop, new Stored(m.group(1), m.group(2), m.group(3)));
    }

    /** The stored identity of an instance sent as (study, series, sop); the same UIDs if none was recorded. */
    Stored of(String study, String series, String sop) {
        return bySentSop.getOrDefault(sop, new Stored(study, series, sop));
    }

    /** True when some instance was stored under UIDs other than those sent. */
    boolean remapped() {
        return bySentSop.entrySet().stream().anyMatch(e -> !e.getKey().equals(e.getValue().sop()));
    }
}
