package org.dpacs.server.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PS3.15 Table E.1-1, loaded from the generated {@code annex-e.tsv}: for each attribute the Basic Profile action
 * and the action of each option column. {@link #actionFor} resolves the action for a set of options.
 */
final class AnnexE {
    /** One row of Table E.1-1. {@code mask} has 0 bits where the tag has an 'x' nibble. */
    record Row(int tag, int mask, String basic, Map<DeidOption, String> options, String name) {
        boolean matches(int t) {
            return (t & mask) == tag;
        }
    }

    private static final AnnexE TABLE = load();

    private final List<Row> rows;
    private final Map<Integer, Row> exact;
    private final List<Row> patterns;
    private final Row privateRow;

    private AnnexE(List<Row> rows, Row privateRow) {
        this.rows = List.copyOf(rows);
        this.privateRow = privateRow;
        this.exact = new HashMap<>();
        this.patterns = new ArrayList<>();
        for (Row r : rows) {
            if (r.mask() == -1) {
                exact.put(r.tag(), r);
            } else {
                patterns.add(r);
            }
        }
    }

    static AnnexE table() {
        return TABLE;
    }

    /** Every row with a tag (the row for private attributes is {@link #privateRow}). */
    List<Row> rows() {
        return rows;
    }

    Row privateRow() {
        return privateRow;
    }

    Optional<Row> row(int tag) {
        Row r = exact.get(tag);
        if (r != null) {
            return Optional.of(r);
        }
        for (Row p : patterns) {
            if (p.matches(tag)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The action for {@code row} under {@code options}: an option's entry overrides the Basic Profile; when several
     * enabled options have an entry, K (retain) wins over C (clean), which wins over X. The result may still be a
     * compound code (Z/D, X/Z, ...), which {@link Action#resolve} turns into one action.
     */
    static String actionFor(Row row, Set<DeidOption> options) {
        String best = null;
        for (Map.Entry<DeidOption, String> e : row.options().entrySet()) {
            if (options.contains(e.getKey())) {
                String a = e.getValue();
                if (best == null || rank(a) > rank(best)) {
                    best = a;
                }
            }
        }
        return best != null ? best : row.basic();
    }

    private static int rank(String action) {
        return switch (action) {
            case "K" -> 3;
            case "C" -> 2;
            default -> 1;
        };
    }

    private static AnnexE load() {
        InputStream in = AnnexE.class.getResourceAsStream("annex-e.tsv");
        if (in == null) {
            throw new IllegalStateException("annex-e.tsv is missing from the classpath");
        }
        List<Row> rows = new ArrayList<>();
        Row privateRow = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4) {
                    throw new IllegalStateException("annex-e.tsv: bad line " + line);
                }
                Map<DeidOption, String> opts = new EnumMap<>(DeidOption.class);
                for (String o : f[2].split(",")) {
                    if (!o.isEmpty()) {
                        String[] kv = o.split("=");
                        opts.put(DeidOption.byColumn(kv[0]).orElseThrow(
                                () -> new IllegalStateException("annex-e.tsv: unknown column " + kv[0])), kv[1]);
                    }
                }
                if (f[0].equals("private")) {
                    privateRow = new Row(0, 0, f[1], Map.copyOf(opts), f[3]);
                    continue;
                }
                int tag = 0;
                int mask = 0;
                for (char c : f[0].toCharArray()) {
                    tag <<= 4;
                    mask <<= 4;
                    if (c != 'x') {
                        tag |= Character.digit(c, 16);
                        mask |= 0xF;
                    }
                }
                rows.add(new Row(tag, mask, f[1], Map.copyOf(opts), f[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (privateRow == null) {
            throw new IllegalStateException("annex-e.tsv has no row for private attributes");
        }
        return new AnnexE(rows, privateRow);
    }
}
