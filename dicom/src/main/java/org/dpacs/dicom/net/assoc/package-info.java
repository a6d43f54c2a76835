/**
 * Associations of the DICOM upper layer (PS3.8): {@link org.dpacs.dicom.net.assoc.AssociationAcceptor} (listens,
 * applies ARTIM, AE title checks and the bound on concurrent associations, negotiates presentation contexts
 * against {@link org.dpacs.dicom.net.assoc.TransferCapabilities}),
 * {@link org.dpacs.dicom.net.assoc.AssociationRequestor} (opens one as the requestor) and
 * {@link org.dpacs.dicom.net.assoc.Association} (an established association: its contexts, the PDV stream both
 * ways, release and abort).
 *
 * <p>The state machine of PS3.8 9.2 is followed in code rather than a table: Sta2 (await A-ASSOCIATE-RQ under
 * ARTIM) and Sta3 in the acceptor, Sta5 in the requestor, Sta6 to Sta13 in {@code Association}; any PDU not
 * allowed in a state is answered with A-ABORT (unexpected-PDU).
 *
 * <p>Not for: DIMSE messages and services (see {@code org.dpacs.dicom.net.dimse}); TLS is not supported yet.
 */
package org.dpacs.dicom.net.assoc;
