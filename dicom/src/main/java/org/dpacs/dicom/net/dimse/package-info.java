/**
 * DIMSE messages (PS3.7) over an association: {@link org.dpacs.dicom.net.dimse.Command} (the command set in
 * implicit VR little endian), {@link org.dpacs.dicom.net.dimse.DimseDispatcher} (the SCP loop: a
 * {@link org.dpacs.dicom.net.dimse.DimseHandler} per command field, each returning a
 * {@link org.dpacs.dicom.net.dimse.DimseResult}) and {@link org.dpacs.dicom.net.dimse.StoreScu} (C-ECHO and
 * C-STORE as requestor).
 *
 * <p>Data sets are streamed both ways: a handler reads the PDV fragments through an {@code InputStream} as they
 * arrive, and the SCU writes files onto fragments as it reads them; neither side holds a whole data set.
 *
 * <p>Services with more than one response (C-FIND, C-GET, C-MOVE) send their pending responses through
 * {@link org.dpacs.dicom.net.dimse.DimseRequest#sendPending}, notice a C-CANCEL-RQ with
 * {@link org.dpacs.dicom.net.dimse.DimseRequest#cancelRequested}, and return a
 * {@link org.dpacs.dicom.net.dimse.DimseResult.Detailed} for a final response with sub-operation counts or an
 * identifier. A C-GET SCP sends its C-STORE sub-operations with a {@code StoreScu} on the request's association.
 *
 * <p>Not for: what the services do with the data (that is the server's {@code dimse} package).
 */
package org.dpacs.dicom.net.dimse;
