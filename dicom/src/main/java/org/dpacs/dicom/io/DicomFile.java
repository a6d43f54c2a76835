package org.dpacs.dicom.io;

import org.dpacs.dicom.data.Attributes;

/** A parsed file: its File Meta Information, its data set, and how the parse went. */
public record DicomFile(Attributes fileMetaInformation, Attributes dataset, ParseResult parse) {
}
