package org.dpacs.server.dimse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.dimse.Command;
import org.dpacs.dicom.net.dimse.CommandTag;
import org.dpacs.dicom.net.dimse.DimseRequest;
import org.dpacs.dicom.net.dimse.DimseResult;
import org.dpacs.dicom.net.dimse.DimseStatus;
import org.dpacs.dicom.net.dimse.StoreScu;
import org.dpacs.dicom.net.pdu.AAbort;
import org.dpacs.dicom.net.pdu.RoleSelection;
import org.dpacs.server.catalog.InstanceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-STORE sub-operations of one C-GET or C-MOVE (PS3.4 C.4.2.3, C.4.3.3): each instance is sent over
 * {@code target}, a pending response with the four counts follows each one, and the final response says how it
 * went: 0000 when all succeeded, B000 when some failed or had warnings, A702 when every one failed, FE00 after a
 * C-CANCEL-RQ; failed instances are named in the Failed SOP Instance UID List (0008,0058).
 */
final class Suboperations {
    private static final Logger LOG = LoggerFactory.getLogger(Suboperations.class);
    static final int FAILED_SOP_INSTANCE_UID_LIST = 0x00080058;

    private final InstanceSender sender;

    Suboperations(InstanceSender sender) {
        this.sender = sender;
    }

    /**
     * Sends {@code records} over {@code target}; for C-MOVE ({@code target} is not the request's association) each
     * C-STORE-RQ names the move's originator.
     */
    DimseResult run(DimseRequest request, Association target, List<InstanceRecord> records) throws IOException {
        StoreScu scu = new StoreScu(target);
        boolean get = target == request.association();
        if (!get) {
            scu.moveOriginator(request.association().callingAeTitle(), request.command().messageId());
        }
        // PS3.4 C.4.3.3: C-GET sends only on storage SOP classes whose SCP role the requestor took (PS3.7 D.3.3.4).
        Set<String> scpRole = target.accept().userInformation().roleSelections().stream()
                .filter(RoleSelection::scpRole).map(RoleSelection::sopClassUid).collect(Collectors.toSet());
        int remaining = records.size();
        int completed = 0;
        int warning = 0;
        List<String> failed = new ArrayList<>();
        for (InstanceRecord r : records) {
            if (request.cancelRequested()) {
                return finalResult(DimseStatus.CANCEL, Optional.empty(), remaining, completed, failed, warning);
            }
            try {
                if (get && !scpRole.contains(r.sopClassUid())) {
                    throw new InstanceSender.NotSendable("the requestor did not take the SCP role for "
                            + r.sopClassUid());
                }
                Command rsp = sender.send(scu, target, r);
                if (rsp.status() == DimseStatus.SUCCESS) {
                    completed++;
                } else if (DimseStatus.isWarning(rsp.status())) {
                    warning++;
                } else {
                    LOG.info("C-STORE of {} to {} answered {}: {}", r.sopInstanceUid(), target,
                            DimseStatus.toHex(rsp.status()), rsp.errorComment().orElse(""));
                    failed.add(r.sopInstanceUid());
                }
            } catch (InstanceSender.NotSendable e) {
                LOG.info("Cannot send {} to {}: {}", r.sopInstanceUid(), target, e.getMessage());
                failed.add(r.sopInstanceUid());
            } catch (IOException e) {
                // Mid-message: the peer holds part of a data set, so the association cannot go on. For C-GET that
                // is the request's own; for C-MOVE this and the instances not sent yet fail.
                LOG.warn("Sending {} to {} failed", r.sopInstanceUid(), target, e);
                target.abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED));
                if (target == request.association()) {
                    throw e;
                }
                records.subList(records.indexOf(r), records.size()).forEach(x -> failed.add(x.sopInstanceUid()));
                break;
            }
            remaining--;
            if (remaining > 0) {
                request.sendPending(DimseStatus.PENDING, counts(remaining, completed, failed.size(), warning),
                        Optional.empty());
            }
        }
        int status = failed.isEmpty() && warning == 0 ? DimseStatus.SUCCESS
                : completed == 0 && warning == 0 ? DimseStatus.OUT_OF_RESOURCES_SUBOPERATIONS
                : DimseStatus.SUBOPERATIONS_COMPLETE_WITH_FAILURES;
        Optional<String> comment = failed.isEmpty() ? Optional.empty()
                : Optional.of(failed.size() + " of " + records.size() + " sub-operations failed");
        return finalResult(status, comment, 0, completed, failed, warning);
    }

    private static DimseResult finalResult(int status, Optional<String> comment, int remaining, int completed,
                                           List<String> failed, int warning) {
        // PS3.4 C.4.2.1.5: Number of Remaining only in pending and cancel responses.
        Attributes counts = status == DimseStatus.CANCEL ? counts(remaining, completed, failed.size(), warning)
                : counts(-1, completed, failed.size(), warning);
        Optional<Attributes> identifier = failed.isEmpty() ? Optional.empty()
                : Optional.of(new Attributes.Builder().setString(FAILED_SOP_INSTANCE_UID_LIST, Vr.UI,
                        failed.toArray(String[]::new)).build());
        return new DimseResult.Detailed(status, comment, counts, identifier);
    }

    static Attributes counts(int remaining, int completed, int failed, int warning) {
        Attributes.Builder b = new Attributes.Builder();
        if (remaining >= 0) {
            b.setInts(CommandTag.NumberOfRemainingSuboperations, Vr.US, remaining);
        }
        return b.setInts(CommandTag.NumberOfCompletedSuboperations, Vr.US, completed)
                .setInts(CommandTag.NumberOfFailedSuboperations, Vr.US, failed)
                .setInts(CommandTag.NumberOfWarningSuboperations, Vr.US, warning)
                .build();
    }
}
