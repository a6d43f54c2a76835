package org.dpacs.server.dicomweb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.Services;
import org.dpacs.server.catalog.InstanceRecord;

/** A WADO-RS server over an in-memory store and catalog that tests fill directly. */
final class WadoFixture implements AutoCloseable {
    final MemoryStore store = new MemoryStore();
    final MemoryCatalog catalog = new MemoryCatalog();
    final Services services;
    final TestServer server;

    WadoFixture(Path dataDir) {
        services = new Services(Config.defaults().withDataDir(dataDir), store, catalog, null, null);
        server = TestServer.start(new WadoResource(services));
    }

    InstanceRecord put(Attributes ds, TransferSyntax ts) {
        return put(TestDicom.part10(ds, ts));
    }

    /** Stores a PS3.10 object as the pipeline would: key by UIDs, record with the transfer syntax it has. */
    InstanceRecord put(byte[] part10) {
        DicomFile f;
        try {
            f = DicomReader.read(new java.io.ByteArrayInputStream(part10), "test", ReadOptions.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Attributes ds = f.dataset();
        String study = ds.string(Tag.StudyInstanceUID).orElseThrow();
        String series = ds.string(Tag.SeriesInstanceUID).orElseThrow();
        String sop = ds.string(Tag.SOPInstanceUID).orElseThrow();
        String key = study + "/" + series + "/" + sop + ".dcm";
        store.put(key, part10);
        return catalog.commit(List.of(InstanceRecord.pending(study, series, sop, ds.string(Tag.SOPClassUID).orElseThrow(),
                f.parse().transferSyntax().uid(), key, part10.length, "sha"))).get(0);
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("dpacs-web-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
