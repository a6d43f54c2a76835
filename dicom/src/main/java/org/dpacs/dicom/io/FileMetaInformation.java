package org.dpacs.dicom.io;

import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;

/** Builds the File Meta Information of PS3.10 7.1 for files dPACS writes. */
public final class FileMetaInformation {
    /**
     * dPACS's Implementation Class UID: a 2.25 UUID-derived UID (PS3.5 B.2), fixed so that files written by
     * any dPACS version can be traced to it.
     */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.176283594573046727312416298337587343391";
    /** PS3.7 D.3.3.2.3: up to 16 characters. */
    public static final String IMPLEMENTATION_VERSION_NAME = "DPACS_0.1";

    private FileMetaInformation() {
    }

    /** File Meta Information for an instance, without the group length, which the writer computes. */
    public static Attributes of(String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {
        return new Attributes.Builder()
                .set(Tag.FileMetaInformationVersion, Vr.OB, new byte[]{0, 1})
                .setString(Tag.MediaStorageSOPClassUID, Vr.UI, sopClassUid)
                .setString(Tag.MediaStorageSOPInstanceUID, Vr.UI, sopInstanceUid)
                .setString(Tag.TransferSyntaxUID, Vr.UI, transferSyntaxUid)
                .setString(Tag.ImplementationClassUID, Vr.UI, IMPLEMENTATION_CLASS_UID)
                .setString(Tag.ImplementationVersionName, Vr.SH, IMPLEMENTATION_VERSION_NAME)
                .build();
    }

    /** File Meta Information for {@code dataset}, taking its SOP Class and Instance UIDs. */
    public static Attributes of(Attributes dataset, String transferSyntaxUid) {
        return of(dataset.string(Tag.SOPClassUID).orElse(""), dataset.string(Tag.SOPInstanceUID).orElse(""),
                transferSyntaxUid);
    }
}
