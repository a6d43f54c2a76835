package org.dpacs.dicom.data;

import java.util.Optional;

/**
 * One item of encapsulated pixel data (PS3.5 A.4): where its value lies in the source and, when the reader
 * was asked to load pixel data, its bytes. Offsets are kept even for loaded fragments so frames can be
 * served by range reads of the stored object.
 */
public record Fragment(long offset, int length, byte[] bytesOrNull) {

    public static Fragment loaded(long offset, byte[] bytes) {
        return new Fragment(offset, bytes.length, bytes);
    }

    public static Fragment reference(long offset, int length) {
        return new Fragment(offset, length, null);
    }

    public Optional<byte[]> bytes() {
        return Optional.ofNullable(bytesOrNull);
    }

    public boolean isLoaded() {
        return bytesOrNull != null;
    }

    /**
     * Loaded fragments are equal when their bytes are, wherever they were read from; unloaded ones when they
     * point at the same place. (A record would compare the byte[] by identity.)
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fragment f) || length != f.length || isLoaded() != f.isLoaded()) {
            return false;
        }
        return isLoaded() ? java.util.Arrays.equals(bytesOrNull, f.bytesOrNull) : offset == f.offset;
    }

    @Override
    public int hashCode() {
        return isLoaded() ? java.util.Arrays.hashCode(bytesOrNull) : Long.hashCode(offset) * 31 + length;
    }
}
