package org.dpacs.dicom.data;

/**
 * Value Representations of PS3.5 Table 6.2-1, with the encoding facts the codec needs.
 *
 * <p>{@code longHeader} VRs use a 12-byte explicit VR header (2 reserved bytes and a 32-bit length,
 * PS3.5 7.1.2); all others use 8 bytes. {@code padding} is the byte used to reach an even length
 * (PS3.5 6.2: space for text, NUL for UI and binary). {@code unitSize} is the size of one binary value
 * (0 for text VRs and for SQ/UN).
 */
public enum Vr {
    AE(Kind.TEXT, false, ' ', 0, false),
    AS(Kind.TEXT, false, ' ', 0, false),
    AT(Kind.BINARY, false, 0, 4, false),
    CS(Kind.TEXT, false, ' ', 0, false),
    DA(Kind.TEXT, false, ' ', 0, false),
    DS(Kind.TEXT, false, ' ', 0, false),
    DT(Kind.TEXT, false, ' ', 0, false),
    FD(Kind.BINARY, false, 0, 8, false),
    FL(Kind.BINARY, false, 0, 4, false),
    IS(Kind.TEXT, false, ' ', 0, false),
    LO(Kind.TEXT, false, ' ', 0, true),
    LT(Kind.TEXT, false, ' ', 0, true),
    OB(Kind.BINARY, true, 0, 1, false),
    OD(Kind.BINARY, true, 0, 8, false),
    OF(Kind.BINARY, true, 0, 4, false),
    OL(Kind.BINARY, true, 0, 4, false),
    OV(Kind.BINARY, true, 0, 8, false),
    OW(Kind.BINARY, true, 0, 2, false),
    PN(Kind.TEXT, false, ' ', 0, true),
    SH(Kind.TEXT, false, ' ', 0, true),
    SL(Kind.BINARY, false, 0, 4, false),
    SQ(Kind.SEQUENCE, true, 0, 0, false),
    SS(Kind.BINARY, false, 0, 2, false),
    ST(Kind.TEXT, false, ' ', 0, true),
    SV(Kind.BINARY, true, 0, 8, false),
    TM(Kind.TEXT, false, ' ', 0, false),
    UC(Kind.TEXT, true, ' ', 0, true),
    UI(Kind.TEXT, false, 0, 0, false),
    UL(Kind.BINARY, false, 0, 4, false),
    UN(Kind.BINARY, true, 0, 1, false),
    UR(Kind.TEXT, true, ' ', 0, false),
    US(Kind.BINARY, false, 0, 2, false),
    UT(Kind.TEXT, true, ' ', 0, true),
    UV(Kind.BINARY, true, 0, 8, false);

    /** How a VR's value is shaped. */
    public enum Kind { TEXT, BINARY, SEQUENCE }

    private static final Vr[] BY_CODE = new Vr[0x10000];

    static {
        for (Vr vr : values()) {
            BY_CODE[vr.code()] = vr;
        }
    }

    private final Kind kind;
    private final boolean longHeader;
    private final byte padding;
    private final int unitSize;
    private final boolean charsetDependent;

    Vr(Kind kind, boolean longHeader, int padding, int unitSize, boolean charsetDependent) {
        this.kind = kind;
        this.longHeader = longHeader;
        this.padding = (byte) padding;
        this.unitSize = unitSize;
        this.charsetDependent = charsetDependent;
    }

    /** The two ASCII characters packed big-endian into an int, as they appear in an explicit VR header. */
    public int code() {
        return (name().charAt(0) << 8) | name().charAt(1);
    }

    /** Looks up a VR by its two-byte code; empty for codes not in PS3.5 Table 6.2-1. */
    public static java.util.Optional<Vr> ofCode(int code) {
        return java.util.Optional.ofNullable(code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null);
    }

    /** Like {@link #ofCode} but returns null; for the parser's hot path. */
    public static Vr ofCodeOrNull(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isLongHeader() {
        return longHeader;
    }

    public byte padding() {
        return padding;
    }

    public int unitSize() {
        return unitSize;
    }

    /** True for VRs whose bytes are decoded with the Specific Character Set (PS3.5 6.1.2.3). */
    public boolean isCharsetDependent() {
        return charsetDependent;
    }

    public boolean isText() {
        return kind == Kind.TEXT;
    }

    public boolean isBinary() {
        return kind == Kind.BINARY;
    }

    /** Text VRs whose value may hold several values separated by backslash (PS3.5 6.4). */
    public boolean isMultiValuedText() {
        return kind == Kind.TEXT && this != LT && this != ST && this != UT && this != UR;
    }

    /** Binary VRs whose values must be byte-swapped between little and big endian. */
    public boolean isSwapped() {
        return kind == Kind.BINARY && unitSize > 1;
    }

    /** VRs that are bulk-data candidates (PS3.18 Annex F.2.7 lists these for BulkDataURI). */
    public boolean isBulkCandidate() {
        return switch (this) {
            case OB, OD, OF, OL, OV, OW, UN, UT, UC, UR, LT, ST, FL, FD, SL, SS, SV, UL, US, UV, AT -> true;
            default -> false;
        };
    }
}
