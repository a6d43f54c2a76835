package org.dpacs.server.index;

import java.util.List;
import org.dpacs.dicom.data.Attributes;

/**
 * The page of a QIDO search: one data set per matching entity in the level's stable order, and whether more
 * entities matched than were returned (the caller then adds the Warning of PS3.18 10.6.3). RetrieveURL is not
 * in the data sets: only the protocol layer knows the base URL.
 */
public record QidoResult(List<Attributes> matches, boolean truncated) {
    public QidoResult {
        matches = List.copyOf(matches);
    }
}
