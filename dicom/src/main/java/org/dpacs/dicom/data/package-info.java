/**
 * The data model: {@link org.dpacs.dicom.data.Attributes} (a frozen, tag-sorted data set whose values stay
 * as bytes until a typed getter decodes them), tags, VRs, transfer syntaxes, sequences, encapsulated
 * fragments and bulk data references.
 *
 * <p>Not for: reading or writing streams (see {@code org.dpacs.dicom.io}), dictionary look-ups
 * ({@code org.dpacs.dicom.dict}) or character set conversion ({@code org.dpacs.dicom.charset}).
 * In-memory binary values are always little endian, whatever the transfer syntax they came from.
 */
package org.dpacs.dicom.data;
