package org.dpacs.server.index;

/**
 * The query levels of QIDO-RS (PS3.18 10.6) and of the Study Root information model (PS3.4 C.6.2), from the top.
 * The ordinal order is the hierarchy: a level "below" another has a greater ordinal.
 */
public enum QidoLevel {
    STUDY,
    SERIES,
    INSTANCE;

    /** True when this level is below {@code other} (SERIES is below STUDY). */
    public boolean isBelow(QidoLevel other) {
        return ordinal() > other.ordinal();
    }

    /** The lower-case name the standard uses in resource paths and messages ("study"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
