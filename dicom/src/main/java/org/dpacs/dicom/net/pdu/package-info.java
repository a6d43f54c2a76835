/**
 * The PDUs of the DICOM upper layer protocol (PS3.8 9.3): {@link org.dpacs.dicom.net.pdu.Pdu} and its seven
 * records, {@link org.dpacs.dicom.net.pdu.PduReader} and {@link org.dpacs.dicom.net.pdu.PduWriter}.
 *
 * <p>The reader never trusts a length: each is checked against a ceiling and against the bytes left before
 * anything is allocated, and every problem is a {@link org.dpacs.dicom.net.pdu.PduException} with the stream
 * offset and the A-ABORT reason to answer with.
 *
 * <p>Not for: association state, negotiation or DIMSE messages (see {@code org.dpacs.dicom.net.assoc} and
 * {@code org.dpacs.dicom.net.dimse}).
 */
package org.dpacs.dicom.net.pdu;
