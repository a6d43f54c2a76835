package org.dpacs.server.dimse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.AssociationRequestor;
import org.dpacs.dicom.net.dimse.CommandTag;
import org.dpacs.dicom.net.dimse.DimseHandler;
import org.dpacs.dicom.net.dimse.DimseRequest;
import org.dpacs.dicom.net.dimse.DimseResult;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.dicom.net.pdu.PresentationContextRq;
import org.dpacs.server.catalog.InstanceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query/Retrieve MOVE (PS3.4 C.4.2) for Patient Root and Study Root: the instances the identifier names are sent
 * to the Move Destination, which must be one of the configured AE titles ({@code dpacs.dimse.destinations}; any
 * other is A801), over a new association we open as {@code dpacs.ae.title}, proposing each SOP class in its stored
 * transfer syntax and, for uncompressed ones, in explicit and implicit VR little endian too.
 */
final class CMoveScp implements DimseHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CMoveScp.class);

    private final RetrieveScope scope;
    private final Suboperations suboperations;
    private final String aeTitle;
    private final Map<String, MoveDestination> destinations;

    CMoveScp(RetrieveScope scope, Suboperations suboperations, String aeTitle,
             Map<String, MoveDestination> destinations) {
        this.scope = scope;
        this.suboperations = suboperations;
        this.aeTitle = aeTitle;
        this.destinations = Map.copyOf(destinations);
    }

    @Override
    public DimseResult handle(DimseRequest request) throws IOException {
        QueryModel model = QueryModel.of(request.context().abstractSyntax()).orElseThrow();
        String destinationAe = request.command().attributes().string(CommandTag.MoveDestination).orElse("").strip();
        List<InstanceRecord> records;
        try {
            Attributes identifier = IdentifierQuery.read(request);
            records = scope.records(model.level(identifier), identifier);
        } catch (IdentifierException e) {
            return e.toResult();
        }
        MoveDestination destination = destinations.get(destinationAe);
        if (destination == null) {
            return new DimseResult.Failure(DimseStatus.MOVE_DESTINATION_UNKNOWN, "Move destination '"
                    + destinationAe + "' is unknown; see dpacs.dimse.destinations");
        }
        if (records.isEmpty()) {
            return new DimseResult.Detailed(DimseStatus.SUCCESS, Optional.empty(),
                    Suboperations.counts(-1, 0, 0, 0), Optional.empty());
        }
        Association target;
        try {
            target = AssociationRequestor.open(new InetSocketAddress(destination.host(), destination.port()), aeTitle,
                    destinationAe, contexts(records), AssociationRequestor.Options.DEFAULT);
        } catch (IOException e) {
            LOG.warn("C-MOVE from {}: cannot associate with {} at {}:{}: {}", request.association(), destinationAe,
                    destination.host(), destination.port(), e.getMessage());
            return new DimseResult.Failure(DimseStatus.OUT_OF_RESOURCES_SUBOPERATIONS, "Cannot associate with "
                    + destinationAe + ": " + e.getMessage());
        }
        try {
            DimseResult result = suboperations.run(request, target, records);
            target.release();
            return result;
        } finally {
            target.close();
        }
    }

    /** One context per SOP class and stored syntax, with the native alternatives (PS3.8 9.3.2.2: odd IDs). */
    static List<PresentationContextRq> contexts(List<InstanceRecord> records) {
        Map<List<String>, List<String>> pairs = new LinkedHashMap<>();
        for (InstanceRecord r : records) {
            pairs.computeIfAbsent(List.of(r.sopClassUid(), r.transferSyntaxUid()),
                    k -> InstanceSender.nativeSyntaxes(r.transferSyntaxUid()));
        }
        List<PresentationContextRq> out = new ArrayList<>();
        int id = 1;
        for (Map.Entry<List<String>, List<String>> e : pairs.entrySet()) {
            if (id > 255) {
                break; // 128 contexts at most; instances of further pairs fail as not sendable
            }
            out.add(new PresentationContextRq(id, e.getKey().get(0), e.getValue()));
            id += 2;
        }
        return out;
    }
}
