package org.dpacs.server.dicomweb;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ForwardingHandler;
import org.dpacs.dicom.io.FileMetaInformation;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.catalog.InstanceRecord;
import org.dpacs.server.dicomweb.MediaNegotiation.Offer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieves Instances as PS3.10 objects (PS3.18 10.4.1.1.1-3, media type {@code application/dicom}): each stored
 * object is copied as it is, or transcoded on the fly between native transfer syntaxes (implicit VR LE and
 * explicit VR BE to explicit VR LE, which PS3.18 8.7.3 makes the default), with values above 64 KB copied by
 * range reads. Memory stays flat whatever the study size. Compressed objects are only sent as stored: there is
 * no codec in dPACS, so a lossless compressed object asked for in the default syntax is a 406 (see {@link #offers}).
 */
final class InstanceRetrieval {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRetrieval.class);
    private static final int COPY_BUFFER = 64 * 1024;
    private static final int TRANSCODE_BULK_THRESHOLD = 64 * 1024;
    /**
     * Encapsulated syntaxes that are always lossless (JPEG lossless, JPEG-LS lossless, JPEG 2000 and HTJ2K
     * lossless only, RLE, encapsulated uncompressed). The rest are lossy or may be (JPEG 2000 .91 either way).
     */
    static final java.util.Set<String> LOSSLESS_ONLY = java.util.Set.of("1.2.840.10008.1.2.4.57",
            "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.201",
            "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.98");

    private final StoredObjects objects;

    InstanceRetrieval(StoredObjects objects) {
        this.objects = objects;
    }

    /** The representations of objects stored in {@code ts}, ours first (see class comment). */
    static List<Offer> offers(String ts, boolean single) {
        TransferSyntax syntax = TransferSyntax.of(ts);
        List<Offer> offers = new ArrayList<>();
        if (syntax.isNative() && !ts.equals(DicomMediaTypes.EXPLICIT_VR_LE)) {
            offers.add(Offer.multipart(DicomMediaTypes.DICOM, DicomMediaTypes.EXPLICIT_VR_LE, false));
        }
        // PS3.18 8.7.3.4: without a transfer-syntax parameter only a lossy original may come back as stored; a
        // lossless one would have to be decoded to the default, which needs codecs dPACS does not have, so the
        // request is refused (406) unless the client accepts the stored syntax (or transfer-syntax=*).
        offers.add(Offer.multipart(DicomMediaTypes.DICOM, ts, syntax.encapsulated() && !LOSSLESS_ONLY.contains(ts)));
        if (single) {
            offers.addAll(offers.stream().map(o -> Offer.single(DicomMediaTypes.DICOM, o.transferSyntax().orElseThrow(),
                    o.storedForm())).toList());
        }
        return offers;
    }

    /**
     * The response for {@code records} (never empty): negotiated per stored transfer syntax before anything is
     * sent, so a 406 comes before the first byte.
     */
    Response retrieve(List<InstanceRecord> records, String accept, RetrieveUrls urls, String what) {
        boolean single = records.size() == 1;
        Map<String, Offer> chosen = new HashMap<>();
        for (InstanceRecord r : records) {
            chosen.computeIfAbsent(r.transferSyntaxUid(),
                    ts -> MediaNegotiation.select(accept, offers(ts, single), what));
        }
        Offer first = chosen.get(records.get(0).transferSyntaxUid());
        if (!first.isMultipart()) {
            InstanceRecord r = records.get(0);
            StreamingOutput body = out -> write(r, first, out);
            return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, first.contentTypeHeader())
                    .header("Content-Location", urls.instance(r)).build();
        }
        String boundary = MultipartWriter.newBoundary();
        StreamingOutput body = out -> {
            try (MultipartWriter w = new MultipartWriter(out, boundary)) {
                for (InstanceRecord r : records) {
                    Offer offer = chosen.get(r.transferSyntaxUid());
                    write(r, offer, w.startPart(offer.contentTypeHeader(), Optional.of(urls.instance(r))));
                }
            }
        };
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE,
                MultipartWriter.contentType(DicomMediaTypes.DICOM, boundary)).build();
    }

    private void write(InstanceRecord r, Offer offer, OutputStream out) throws IOException {
        String ts = offer.transferSyntax().orElseThrow();
        try {
            if (ts.equals(r.transferSyntaxUid())) {
                copy(r, out);
            } else {
                transcode(r, TransferSyntax.of(ts), out);
            }
        } catch (IOException | RuntimeException e) {
            // The status line is gone: all we can do is log and break the response so the client sees it fail.
            LOG.error("Retrieving {} (object {}) failed mid-response", r.sopInstanceUid(), r.objectKey(), e);
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private void copy(InstanceRecord r, OutputStream out) throws IOException {
        long copied = 0;
        try (InputStream in = objects.store().open(r.objectKey())) {
            byte[] buffer = new byte[COPY_BUFFER];
            for (int n = in.read(buffer); n >= 0 && copied <= r.size(); n = in.read(buffer)) {
                out.write(buffer, 0, n);
                copied += n;
            }
        }
        if (copied != r.size()) {
            // Damaged after it was stored (disk, a hand edit): break the response rather than end it cleanly, so
            // the client cannot take a partial object for a whole one.
            throw new IOException("Stored object " + r.objectKey() + " has " + (copied > r.size() ? "more than " : "")
                    + copied + " bytes, the catalog recorded " + r.size() + "; restore it from a copy");
        }
    }

    /** Re-encodes a native object in another native syntax, streaming: parse events go straight to a writer. */
    private void transcode(InstanceRecord r, TransferSyntax target, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, COPY_BUFFER);
        WriteOptions options = WriteOptions.DEFAULT.withResolver(objects.resolver());
        objects.parse(r, ReadOptions.DEFAULT.withBulkThreshold(TRANSCODE_BULK_THRESHOLD),
                new Transcoder(r, target, buffered, options));
        buffered.flush();
    }

    /** Writes the file header when the parse reaches the data set, then passes every event to a writer. */
    private static final class Transcoder extends ForwardingHandler {
        private final InstanceRecord record;
        private final TransferSyntax syntax;
        private final OutputStream out;
        private final WriteOptions options;
        private Attributes fmi;

        Transcoder(InstanceRecord record, TransferSyntax syntax, OutputStream out, WriteOptions options) {
            super(DicomWriter.forEvents(out, syntax, options));
            this.record = record;
            this.syntax = syntax;
            this.out = out;
            this.options = options;
        }

        @Override
        public void fileMetaInformation(Attributes stored) {
            fmi = stored;
        }

        @Override
        public void startDataset(TransferSyntax source) throws IOException {
            Attributes meta = fmi == null
                    ? FileMetaInformation.of(record.sopClassUid(), record.sopInstanceUid(), syntax.uid())
                    : fmi.toBuilder().setString(Tag.TransferSyntaxUID, Vr.UI, syntax.uid()).build();
            DicomWriter.writeFile(out, meta, Attributes.EMPTY, syntax, options);
            target.startDataset(syntax);
        }
    }
}
