package org.dpacs.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.server.app.Config;
import org.dpacs.server.app.Services;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.storage.ObjectWrite;
import org.dpacs.server.storage.S3MockProcess;
import org.dpacs.server.storage.S3ObjectStore;
import org.dpacs.server.storage.S3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames from S3 are ranged GETs: frame 7 of a 100-frame instance moves frame 7's bytes and no others. */
class S3FrameReadTest {
    private static final String ST = "1.2.3";
    private static final String SE = "1.2.3.1";
    private static final String SOP = "1.2.3.1.1";
    private static final int ROWS = 64;
    private static final int COLS = 64;
    private static final int FRAMES = 100;

    @TempDir
    Path dir;

    @Test
    void aFrameTransfersOnlyItsOwnBytes() throws Exception {
        assumeTrue(S3MockProcess.available(), "S3Mock jar not built");
        try (S3MockProcess s3 = S3MockProcess.start("frames");
             S3ObjectStore store = new S3ObjectStore(new S3Settings("frames", "us-east-1", Optional.of(s3.endpoint()),
                     true, "", Optional.of("k"), Optional.of("s"), Optional.empty(), S3Settings.MIN_PART_SIZE))) {
            byte[] part10 = TestDicom.part10(TestDicom.image(ST, SE, SOP, FRAMES, ROWS, COLS),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            String key = ST + "/" + SE + "/" + SOP + ".dcm";
            try (ObjectWrite w = store.begin(key)) {
                w.stream().write(part10);
                w.commit();
            }
            MemoryCatalog catalog = new MemoryCatalog();
            catalog.commit(List.of(InstanceRecord.pending(ST, SE, SOP, "1.2.840.10008.5.1.4.1.1.2",
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), key, part10.length, "sha")));
            Services services = new Services(Config.defaults().withDataDir(dir), store, catalog, null, null);
            try (TestServer server = TestServer.start(new WadoResource(services))) {
                String frames = "/studies/" + ST + "/series/" + SE + "/instances/" + SOP + "/frames/";
                String accept = "multipart/related; type=\"application/octet-stream\"";
                // The first request also reads the header to locate the frames; it is cached afterwards.
                assertThat(server.get(frames + "1", "Accept", accept).statusCode()).isEqualTo(200);
                long before = store.bytesRead();
                HttpResponse<byte[]> seventh = server.get(frames + "7", "Accept", accept);
                assertThat(seventh.statusCode()).isEqualTo(200);
                assertThat(TestServer.parts(seventh).get(0).body()).isEqualTo(TestDicom.nativeFrame(7, ROWS, COLS, FRAMES));
                assertThat(store.bytesRead() - before).as("bytes fetched from S3 for frame 7")
                        .isEqualTo((long) ROWS * COLS * 2);
            }
        }
    }
}
