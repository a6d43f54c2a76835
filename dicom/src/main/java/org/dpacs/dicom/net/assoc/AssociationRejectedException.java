package org.dpacs.dicom.net.assoc;

import java.io.IOException;
import org.dpacs.dicom.net.pdu.AAssociateRj;

/** The acceptor answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ. */
public final class AssociationRejectedException extends IOException {
    private final transient AAssociateRj rejection;

    public AssociationRejectedException(AAssociateRj rejection) {
        super("Association rejected: " + rejection.describe());
        this.rejection = rejection;
    }

    public AAssociateRj rejection() {
        return rejection;
    }
}
