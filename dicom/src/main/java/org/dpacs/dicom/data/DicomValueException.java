package org.dpacs.dicom.data;

/** A value could not be decoded as the getter asked (e.g. a DS that is not a number). */
public final class DicomValueException extends RuntimeException {
    private final int tag;

    public DicomValueException(int tag, String message) {
        super("Value of " + Tag.toString(tag) + " " + message);
        this.tag = tag;
    }

    public int tag() {
        return tag;
    }
}
