package org.dpacs.dicom.net.pdu;

import java.util.List;

/** P-DATA-TF (PS3.8 9.3.5): one or more presentation data values. */
public record PDataTf(List<Pdv> pdvs) implements Pdu {
    public static final int TYPE = 0x04;

    public PDataTf {
        pdvs = List.copyOf(pdvs);
        if (pdvs.isEmpty()) {
            throw new IllegalArgumentException("a P-DATA-TF carries at least one PDV (PS3.8 9.3.5)");
        }
    }

    @Override
    public int type() {
        return TYPE;
    }
}
