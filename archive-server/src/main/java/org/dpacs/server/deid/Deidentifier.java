package org.dpacs.server.deid;

import java.nio.file.Path;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.server.access.Origin;

/**
 * The de-identification step of the ingest pipeline: takes the header of an arriving instance (everything
 * before Pixel Data) and where it came from, and returns what to store ({@link DeidResult}). Implementations
 * are thread-safe: the pipeline calls them concurrently.
 */
public interface Deidentifier {

    DeidResult deidentify(Attributes header, Origin origin);

    /**
     * The attributes that follow Pixel Data ({@code trailing}: digital signatures, padding, late private
     * attributes), cleaned as part of the instance whose {@code header} is given as it arrived.
     */
    Attributes deidentifyTrailing(Attributes header, Attributes trailing, Origin origin);

    /** Stores headers as they arrive: {@code dpacs.deid.profile=off}, for trusted internal use. */
    static Deidentifier none() {
        return Unchanged.INSTANCE;
    }

    /** Stores what arrives. */
    enum Unchanged implements Deidentifier {
        INSTANCE;

        @Override
        public DeidResult deidentify(Attributes header, Origin origin) {
            return DeidResult.Deidentified.unchanged(header);
        }

        @Override
        public Attributes deidentifyTrailing(Attributes header, Attributes trailing, Origin origin) {
            return trailing;
        }
    }

    /** {@link Deidentification#create}'s de-identifier. */
    static Deidentifier create(DeidSettings settings, Path dataDir) {
        return Deidentification.create(settings, dataDir).deidentifier();
    }
}
