package org.dpacs.dicom.net.pdu;

/**
 * One protocol data unit of the DICOM upper layer (PS3.8 9.3): the seven PDU types, each a record that
 * {@link PduWriter} encodes and {@link PduReader} decodes.
 */
public sealed interface Pdu permits AAssociateRq, AAssociateAc, AAssociateRj, PDataTf, AReleaseRq, AReleaseRp,
        AAbort {

    /** The PDU-type byte (PS3.8 Table 9-11, 9-16, ...). */
    int type();
}
