package org.dpacs.dicom.net.assoc;

import java.io.IOException;

/**
 * What an {@link AssociationAcceptor} does with each association it has accepted: typically a DIMSE dispatcher
 * that reads requests until the peer releases. The acceptor closes the association when this returns or throws.
 */
@FunctionalInterface
public interface AssociationHandler {
    void serve(Association association) throws IOException;
}
