package org.dpacs.dicom.io;

import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.TransferSyntax;

/**
 * What a parse found besides the handler events.
 *
 * @param fileMetaInformation group 0002, empty when the input had none
 * @param transferSyntax      the syntax the data set was actually read in (see {@code warnings} when it
 *                            differs from the declared one)
 * @param datasetOffset       where the data set starts in the source
 * @param endOffset           where reading ended: the start of the {@code stopAt} element, or end of input
 * @param stopped             true when reading stopped at {@code stopAt} rather than at end of input
 * @param warnings            recoverable oddities met on the way, each naming what and where
 */
public record ParseResult(Attributes fileMetaInformation, TransferSyntax transferSyntax, long datasetOffset,
                          long endOffset, boolean stopped, List<String> warnings) {
    public ParseResult {
        warnings = List.copyOf(warnings);
    }
}
