package org.dpacs.server.dimse;

import java.io.IOException;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.net.dimse.DimseHandler;
import org.dpacs.dicom.net.dimse.DimseRequest;
import org.dpacs.dicom.net.dimse.DimseResult;
import org.dpacs.server.catalog.InstanceRecord;

/**
 * Query/Retrieve GET (PS3.4 C.4.3) for Patient Root and Study Root: the instances the identifier names go back
 * on the same association, as C-STORE sub-operations on the storage contexts the requestor proposed with the SCP
 * role (the acceptor grants it for every storage SOP class).
 */
final class CGetScp implements DimseHandler {
    private final RetrieveScope scope;
    private final Suboperations suboperations;

    CGetScp(RetrieveScope scope, Suboperations suboperations) {
        this.scope = scope;
        this.suboperations = suboperations;
    }

    @Override
    public DimseResult handle(DimseRequest request) throws IOException {
        QueryModel model = QueryModel.of(request.context().abstractSyntax()).orElseThrow();
        List<InstanceRecord> records;
        try {
            Attributes identifier = IdentifierQuery.read(request);
            records = scope.records(model.level(identifier), identifier);
        } catch (IdentifierException e) {
            return e.toResult();
        }
        return suboperations.run(request, request.association(), records);
    }
}
