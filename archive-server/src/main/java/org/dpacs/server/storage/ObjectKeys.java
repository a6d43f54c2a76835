package org.dpacs.server.storage;

import org.dpacs.server.error.DpacsException;

/**
 * The one rule for object keys, shared by every {@link ObjectStore} so a key valid on the filesystem is valid on
 * S3 and the other way round. A key is one or more '/'-separated segments of {@code [A-Za-z0-9._-]} (UIDs are
 * digits and dots, PS3.5 9.1); "." and ".." segments, empty segments, a leading '/' and the reserved
 * {@value #RESERVED} top-level name are refused, so a key can never name a path outside the store's root.
 */
final class ObjectKeys {

    /** Top-level name kept for the store's own use (the filesystem store's unfinished writes). */
    static final String RESERVED = ".tmp";

    /** Most filesystems refuse longer names (ext4, XFS, NTFS: 255). */
    private static final int MAX_SEGMENT = 255;
    private static final int MAX_KEY = 1024;

    private ObjectKeys() {
    }

    /** Returns {@code key} when it is a valid object key, else throws {@code DpacsException(BAD_REQUEST)}. */
    static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw DpacsException.badRequest("object key is empty");
        }
        checkSegments(key, "object key", false);
        return key;
    }

    /**
     * Returns {@code prefix} when it is a valid key prefix: empty (everything), whole segments ending in '/', or
     * ending inside a segment ({@code "1.2.3/4."} matches {@code "1.2.3/4.5/6"}).
     */
    static String requirePrefix(String prefix) {
        if (prefix == null) {
            throw DpacsException.badRequest("object key prefix is null");
        }
        if (!prefix.isEmpty()) {
            checkSegments(prefix, "object key prefix", true);
        }
        return prefix;
    }

    private static void checkSegments(String key, String what, boolean prefix) {
        if (key.length() > MAX_KEY) {
            throw bad(what, key, "is longer than " + MAX_KEY + " characters");
        }
        int start = 0;
        int segment = 0;
        for (int i = 0; i <= key.length(); i++) {
            if (i == key.length() || key.charAt(i) == '/') {
                boolean last = i == key.length();
                // A prefix may end with '/' or inside a segment; that partial segment is only ever compared with
                // names, never resolved as a path, so it needs no more than the character check.
                if (last && prefix) {
                    break;
                }
                checkSegment(key, what, start, i, segment);
                start = i + 1;
                segment++;
            } else if (!allowed(key.charAt(i))) {
                throw bad(what, key, "contains '" + printable(key.charAt(i)) + "' at position " + i
                        + "; only A-Z a-z 0-9 . _ - and '/' between segments are allowed");
            }
        }
    }

    private static void checkSegment(String key, String what, int start, int end, int index) {
        int length = end - start;
        if (length == 0) {
            throw bad(what, key, start == 0 ? "starts with '/'" : "has an empty segment at position " + start);
        }
        if (length > MAX_SEGMENT) {
            throw bad(what, key, "has a segment longer than " + MAX_SEGMENT + " characters");
        }
        String segment = key.substring(start, end);
        if (segment.equals(".") || segment.equals("..")) {
            throw bad(what, key, "has a '" + segment + "' segment");
        }
        if (index == 0 && segment.equals(RESERVED)) {
            throw bad(what, key, "starts with the reserved name " + RESERVED);
        }
    }

    private static boolean allowed(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7E ? String.format("\\u%04X", (int) c) : String.valueOf(c);
    }

    private static DpacsException bad(String what, String key, String problem) {
        String shown = key.length() > 200 ? key.substring(0, 200) + "..." : key;
        return DpacsException.badRequest(what + " '" + shown + "' " + problem);
    }
}
