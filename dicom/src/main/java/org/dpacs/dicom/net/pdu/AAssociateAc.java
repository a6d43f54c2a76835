package org.dpacs.dicom.net.pdu;

import java.util.List;

/**
 * A-ASSOCIATE-AC (PS3.8 9.3.3): the acceptor's answer to each proposed presentation context and its user
 * information. The AE titles repeat those of the request (PS3.8 Table 9-17).
 */
public record AAssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle,
                           String applicationContextName, List<PresentationContextAc> presentationContexts,
                           UserInformation userInformation) implements Pdu {
    public static final int TYPE = 0x02;

    public AAssociateAc {
        if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
            throw new IllegalArgumentException("protocol version must fit 16 bits");
        }
        // Reserved fields in the AC: sent as received, never tested (PS3.8 9.3.3), so blank is allowed here.
        calledAeTitle = PduFields.reservedAeTitle(calledAeTitle, "called AE title");
        callingAeTitle = PduFields.reservedAeTitle(callingAeTitle, "calling AE title");
        PduFields.uid(applicationContextName, "application context name");
        presentationContexts = List.copyOf(presentationContexts);
    }

    @Override
    public int type() {
        return TYPE;
    }
}
