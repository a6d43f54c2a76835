package org.dpacs.dicom.net.dimse;

import java.io.InputStream;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.PresentationContext;

/**
 * One request as a {@link DimseHandler} sees it.
 *
 * @param association the association it came on (peer AE title and address, for logs and access rules)
 * @param context     its presentation context: the abstract syntax and the negotiated transfer syntax
 * @param command     the command set
 * @param dataset     the data set, streamed from the PDVs as it is read, in {@link #transferSyntax()}; an empty
 *                    stream when the command has none. Bare: no preamble, no File Meta Information.
 */
public record DimseRequest(Association association, PresentationContext context, Command command,
                           InputStream dataset) {

    public TransferSyntax transferSyntax() {
        return context.transferSyntax();
    }
}
