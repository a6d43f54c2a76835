package org.dpacs.server.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.dict.DictEntry;
import org.dpacs.dicom.dict.ElementDictionary;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.index.MatchKey.Condition;

/**
 * A QIDO-RS search (PS3.18 10.6) in the form the index runs it, independent of HTTP, so a C-FIND SCP can build
 * one too.
 *
 * @param level              what the search returns: studies, series or instances
 * @param studyUid           the study of a study-scoped resource ({@code /studies/{study}/series})
 * @param seriesUid          the series of {@code /studies/{study}/series/{series}/instances}
 * @param keys               matching keys, all of which must match (PS3.4 C.2.2.2)
 * @param includeFields      extra return keys (top-level tags) of {@code includefield} (PS3.18 8.3.4.3)
 * @param includeAll         {@code includefield=all}: every attribute the index holds for the level
 * @param fuzzyMatching      {@code fuzzymatching=true}: PN keys match name component prefixes (see {@link #parse})
 * @param emptyValueMatching {@code emptyvaluematching=true}: entities without a value for a key match it too
 * @param limit              at most this many results (PS3.18 8.3.4.4)
 * @param offset             results skipped before the first one returned
 * @param ignored            parameters that name no attribute dPACS knows, ignored as PS3.18 8.3 requires
 */
public record QidoQuery(QidoLevel level, Optional<String> studyUid, Optional<String> seriesUid, List<MatchKey> keys,
                        List<Integer> includeFields, boolean includeAll, boolean fuzzyMatching,
                        boolean emptyValueMatching, int limit, int offset, List<String> ignored) {

    /** PS3.18 Table 8.3.4-1 parameters, and accept/charset of 8.3.3, which the resource reads itself. */
    private static final List<String> PARAMETERS = List.of("limit", "offset", "includefield", "fuzzymatching",
            "emptyvaluematching", "multiplevaluematching", "accept", "charset");
    static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    static final Pattern HEX_TAG = Pattern.compile("[0-9A-Fa-f]{8}");

    public QidoQuery {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(studyUid, "studyUid");
        Objects.requireNonNull(seriesUid, "seriesUid");
        keys = List.copyOf(keys);
        includeFields = List.copyOf(includeFields);
        ignored = List.copyOf(ignored);
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must be >= 0");
        }
    }

    /** A search of {@code level} with no keys: the level's default return keys, first {@code limit} results. */
    public static QidoQuery all(QidoLevel level, int limit) {
        return new QidoQuery(level, Optional.empty(), Optional.empty(), List.of(), List.of(), false, false, false,
                limit, 0, List.of());
    }

    /**
     * Parses the query parameters of a QIDO-RS request (PS3.18 8.3.4, 10.6.1).
     *
     * <p>Attributes are named by keyword or 8-digit tag, sequence attributes by dotted paths
     * ({@code 00081032.00080100=xyz}). A key of a level below the searched one (e.g. SeriesDescription in a study
     * search) is refused with 400: the parameter is supported but its value cannot be satisfied (PS3.18 8.3:
     * "a supported Query Parameter with an invalid value"), and ignoring it would silently widen the result.
     * The one exception is Modality in a study search, which matches Modalities in Study, as IHE and viewers use
     * it. Such attributes in {@code includefield} are ignored, as PS3.18 10.6.3.3.1 and 10.6.3.3.2 say ("shall
     * not be returned"), again except Modality at study level, answered from Modalities in Study.
     *
     * <p>Backslash-separated values match any of them (list matching, PS3.4 C.2.2.2.2; for non-UID attributes
     * this is what {@code multiplevaluematching=true} asks, and it is always on). UID lists may also be
     * comma-separated (PS3.18 8.3.4.1 {@code uid-list-match}) or repeat the parameter.
     *
     * <p>{@code fuzzymatching=true} changes PN matching only: the query value is split into words at {@code ^},
     * {@code =} and spaces, and a name matches when every word is a case-insensitive prefix of some component
     * (or of a space-separated word of a component) of any of its component groups, so {@code do jo} matches
     * {@code Doe^John} and {@code 山田} matches {@code Yamada^Taro=山田^太郎}. {@code *} and {@code ?} still work
     * inside words.
     *
     * @throws DpacsException BAD_REQUEST naming the offending parameter and value
     */
    public static QidoQuery parse(QidoLevel level, Map<String, List<String>> params, Optional<String> studyUid,
                                  Optional<String> seriesUid, int defaultLimit, int maxLimit) {
        studyUid.ifPresent(uid -> checkUid("study", uid));
        seriesUid.ifPresent(uid -> checkUid("series", uid));
        int limit = defaultLimit;
        int offset = 0;
        boolean fuzzy = false;
        boolean empty = false;
        boolean all = false;
        LinkedHashSet<Integer> includes = new LinkedHashSet<>();
        Map<List<Integer>, MatchKey> keys = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue() == null ? List.of() : e.getValue();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "limit" -> limit = Math.min(number(name, single(name, values)), maxLimit);
                case "offset" -> offset = number(name, single(name, values));
                case "fuzzymatching" -> fuzzy = bool(name, single(name, values));
                case "emptyvaluematching" -> empty = bool(name, single(name, values));
                case "multiplevaluematching" -> bool(name, single(name, values)); // always on, see above
                case "accept", "charset" -> { } // PS3.18 8.3.3: content negotiation, done by the resource
                case "includefield" -> all |= includes(level, name, values, includes);
                default -> {
                    if (!namesAttributes(name)) {
                        // PS3.18 8.3: "The origin server shall ignore any unsupported Query Parameters".
                        ignored.add("'" + name + "'" + Keywords.suggestion(name.split("\\.")[0])
                                .map(k -> " (did you mean '" + k + "'?)").orElse(""));
                        continue;
                    }
                    MatchKey key = key(level, name, values);
                    MatchKey previous = keys.get(key.path());
                    if (previous != null) {
                        key = merge(name, previous, key);
                    }
                    keys.put(key.path(), key);
                }
            }
        }
        return new QidoQuery(level, studyUid, seriesUid, List.copyOf(keys.values()), List.copyOf(includes), all, fuzzy,
                empty, limit, offset, ignored);
    }

    /** The parameter's one value; a parameter given twice is ambiguous. */
    private static String single(String name, List<String> values) {
        if (values.size() > 1) {
            throw DpacsException.badRequest("Query parameter '" + name + "' is given " + values.size()
                    + " times (" + String.join(", ", values) + "); give it once");
        }
        return values.isEmpty() ? "" : values.get(0).strip();
    }

    private static int number(String name, String value) {
        if (!value.matches("\\d{1,18}")) {
            throw DpacsException.badRequest("Query parameter '" + name + "=" + value
                    + "': expected a whole number >= 0 (PS3.18 8.3.4.4)");
        }
        return (int) Math.min(Long.parseLong(value), Integer.MAX_VALUE);
    }

    private static boolean bool(String name, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw DpacsException.badRequest("Query parameter '" + name + "=" + value
                + "': expected true or false (PS3.18 Table 8.3.4-1)");
    }

    /** Adds the includefield tags; returns true for "all". */
    private static boolean includes(QidoLevel level, String name, List<String> values, Set<Integer> out) {
        boolean all = false;
        for (String value : values) {
            for (String field : value.split(",")) {
                String f = field.strip();
                if (f.isEmpty()) {
                    continue;
                }
                if (f.equalsIgnoreCase("all")) {
                    all = true;
                    continue;
                }
                if (HEX_TAG.matcher(f).matches() && Tag.isPrivate(Tag.parse(f))) {
                    // PS3.18 10.6.3.3: a private element comes with its Private Creator. Only instance documents
                    // hold private elements, so other levels ignore them.
                    int tag = Tag.parse(f);
                    if (level == QidoLevel.INSTANCE) {
                        if (!Tag.isPrivateCreator(tag)) {
                            out.add(Tag.privateCreatorOf(tag));
                        }
                        out.add(tag);
                    }
                    continue;
                }
                List<Integer> path = path(name + "=" + value, f);
                int tag = path.get(0);
                // PS3.18 10.6.3.3.1/2: attributes below the searched level "shall not be returned".
                if (!Levels.levelOf(tag).isBelow(level) || (level == QidoLevel.STUDY && tag == Levels.MODALITY)) {
                    out.add(tag);
                }
            }
        }
        return all;
    }

    private static MatchKey key(QidoLevel level, String name, List<String> values) {
        List<Integer> path = path(name, name);
        int tag = path.get(0);
        QidoLevel keyLevel = Levels.levelOf(tag);
        boolean modalityInStudySearch = level == QidoLevel.STUDY && tag == Levels.MODALITY;
        if (keyLevel.isBelow(level) && !modalityInStudySearch) {
            throw DpacsException.badRequest("Query parameter '" + name + "': " + describe(tag) + " is a "
                    + keyLevel.label() + "-level attribute; a " + level.label() + " search matches only "
                    + (level == QidoLevel.STUDY ? "patient and study" : "patient, study and series")
                    + " attributes (PS3.4 C.6.2.1). Search /" + keyLevel.label()
                    + (keyLevel == QidoLevel.SERIES ? "" : "s") + " instead, or use includefield");
        }
        Vr vr = vrOf(name, path.get(path.size() - 1));
        for (int i = 0; i < path.size() - 1; i++) {
            if (vrOf(name, path.get(i)) != Vr.SQ) {
                throw DpacsException.badRequest("Query parameter '" + name + "': " + describe(path.get(i))
                        + " is not a sequence, so nothing can be nested in it (PS3.18 8.3.4.1)");
            }
        }
        if (values.size() > 1 && vr != Vr.UI) {
            throw DpacsException.badRequest("Query parameter '" + name + "' is given " + values.size()
                    + " times; only UID keys may be repeated. Separate several values with a backslash instead");
        }
        String value = String.join("\\", values);
        Condition condition = Conditions.parse(name, value, vr);
        if (!(condition instanceof MatchKey.Universal) && Levels.RETURN_ONLY.contains(tag)) {
            throw DpacsException.badRequest("Query parameter '" + name + "=" + value + "': " + describe(tag)
                    + " supports universal matching only (give it without a value, or use includefield)");
        }
        return new MatchKey(path, vr, condition);
    }

    /** The same attribute named twice (keyword and tag): UID lists combine, anything else is ambiguous. */
    private static MatchKey merge(String name, MatchKey a, MatchKey b) {
        if (a.vr() == Vr.UI && a.condition() instanceof MatchKey.Values x && b.condition() instanceof MatchKey.Values y) {
            List<String> all = new ArrayList<>(x.values());
            all.addAll(y.values());
            return new MatchKey(a.path(), a.vr(), new MatchKey.Values(all));
        }
        throw DpacsException.badRequest("Query parameter '" + name + "' names " + describe(a.tag())
                + ", which is already a key of this query; give each attribute once");
    }

    /** Whether every part of a dotted attribute path is a keyword or tag we know (any other name is not ours). */
    private static boolean namesAttributes(String name) {
        for (String part : name.split("\\.", -1)) {
            OptionalInt tag = tagOf(part);
            if (tag.isEmpty() || !Tag.isPrivate(tag.getAsInt()) && ElementDictionary.lookup(tag.getAsInt()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Resolves {@code attribute *("." attribute)} of PS3.18 8.3.4.1 to tags. */
    private static List<Integer> path(String param, String attribute) {
        List<Integer> path = new ArrayList<>();
        for (String part : attribute.split("\\.", -1)) {
            OptionalInt tag = tagOf(part);
            if (tag.isEmpty()) {
                throw unknown(param, part);
            }
            int t = tag.getAsInt();
            if (Tag.isPrivate(t)) {
                throw DpacsException.badRequest("Query parameter '" + param + "': private attribute "
                        + Tag.toString(t) + " is not indexed; dPACS matches and returns standard attributes only");
            }
            if (ElementDictionary.lookup(t).isEmpty() || Tag.isGroupLength(t) || Tag.group(t) <= 0x0002) {
                throw unknown(param, part);
            }
            path.add(t);
        }
        return path;
    }

    private static OptionalInt tagOf(String s) {
        if (HEX_TAG.matcher(s).matches()) {
            return OptionalInt.of(Tag.parse(s));
        }
        return ElementDictionary.tagOf(s);
    }

    private static DpacsException unknown(String param, String part) {
        String hint = Keywords.suggestion(part).map(k -> " Did you mean '" + k + "'?").orElse("");
        return DpacsException.badRequest("Unknown query parameter '" + param + "': '" + part
                + "' is neither a QIDO-RS parameter (" + String.join(", ", PARAMETERS.subList(0, 6))
                + ") nor a PS3.6 attribute keyword or 8-digit tag (PS3.18 8.3.4.1)." + hint);
    }

    private static Vr vrOf(String param, int tag) {
        return ElementDictionary.lookup(tag).map(DictEntry::vr)
                .orElseThrow(() -> unknown(param, Tag.toHex(tag)));
    }

    private static void checkUid(String what, String uid) {
        if (uid.length() > 64 || !UID.matcher(uid).matches()) {
            throw DpacsException.badRequest("The " + what + " in the path, '" + uid
                    + "', is not a UID (digits and dots, at most 64 characters, PS3.5 9.1)");
        }
    }

    static String describe(int tag) {
        return ElementDictionary.keywordOf(tag).map(k -> k + " " + Tag.toString(tag)).orElse(Tag.toString(tag));
    }

    /** Case-insensitive keyword look-up, for "did you mean" hints only: PS3.18 keywords are case-sensitive. */
    private static final class Keywords {
        private static final Map<String, String> BY_LOWER = new HashMap<>();

        static {
            for (DictEntry e : ElementDictionary.entries()) {
                if (!e.keyword().isEmpty() && !e.isRepeating()) {
                    BY_LOWER.putIfAbsent(e.keyword().toLowerCase(Locale.ROOT), e.keyword());
                }
            }
        }

        static Optional<String> suggestion(String name) {
            return Optional.ofNullable(BY_LOWER.get(name.toLowerCase(Locale.ROOT)));
        }
    }
}
