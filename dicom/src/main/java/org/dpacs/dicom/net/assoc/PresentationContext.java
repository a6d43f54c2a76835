package org.dpacs.dicom.net.assoc;

import org.dpacs.dicom.data.TransferSyntax;

/** An accepted presentation context (PS3.8 7.1.1.13): its ID, abstract syntax and the one transfer syntax agreed. */
public record PresentationContext(int id, String abstractSyntax, TransferSyntax transferSyntax) {
}
