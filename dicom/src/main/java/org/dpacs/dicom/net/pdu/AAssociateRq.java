package org.dpacs.dicom.net.pdu;

import java.util.List;

/**
 * A-ASSOCIATE-RQ (PS3.8 9.3.2): who calls whom, the application context, the proposed presentation contexts
 * and the user information.
 */
public record AAssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle,
                           String applicationContextName, List<PresentationContextRq> presentationContexts,
                           UserInformation userInformation) implements Pdu {
    public static final int TYPE = 0x01;
    /** PS3.8 9.3.2: bit 0 set, version 1. */
    public static final int PROTOCOL_VERSION = 1;
    /** PS3.7 A.2.1: the DICOM application context name. */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public AAssociateRq {
        if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
            throw new IllegalArgumentException("protocol version must fit 16 bits");
        }
        calledAeTitle = PduFields.aeTitle(calledAeTitle, "called AE title");
        callingAeTitle = PduFields.aeTitle(callingAeTitle, "calling AE title");
        PduFields.uid(applicationContextName, "application context name");
        presentationContexts = List.copyOf(presentationContexts);
    }

    @Override
    public int type() {
        return TYPE;
    }
}
