package org.dpacs.dicom.dict;

import java.util.Objects;

/**
 * One registered UID of PS3.6 Annex A.
 *
 * @param uid     the UID, e.g. {@code 1.2.840.10008.1.2.1}
 * @param name    the PS3.6 name, e.g. {@code Explicit VR Little Endian}; empty for a few retired UIDs
 * @param type    the PS3.6 type as written there, e.g. {@code Transfer Syntax}, {@code SOP Class}
 * @param keyword the PS3.6 keyword, e.g. {@code ExplicitVRLittleEndian}; empty for a few retired UIDs
 * @param retired whether PS3.6 marks the UID retired
 */
public record UidEntry(String uid, String name, String type, String keyword, boolean retired) {

    public UidEntry {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(keyword, "keyword");
    }
}
