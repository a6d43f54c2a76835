package org.dpacs.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.dicom.json.DicomJsonWriter;
import org.dpacs.dicom.json.JsonOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Toolkit codec costs on a synthetic CT ({@link SyntheticCt}): header parse, full parse with bulk
 * references, pixel-skipping parse of a file that is mostly pixel data, DICOM JSON and header writing.
 *
 * <p>Every benchmark returns what it built so JMH keeps it alive; files are generated once per fork in
 * {@code @Setup} and were just written, so they are in the page cache: these numbers are CPU cost, not disk.
 * Run through {@code scripts/bench-toolkit}; {@code docs/benchmarks.md} records results.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
// A fixed heap keeps GC sizing out of the comparison between runs; 1 GiB is ample (nothing here holds the pixels).
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParseBenchmark {
    /** What a header-only consumer (indexer, C-FIND, QIDO) asks for: everything before Pixel Data. */
    static final ReadOptions HEADER = ReadOptions.DEFAULT.withStopAt(Tag.PixelData);
    /** The whole data set, values over 1 KiB (here the private blob and the pixels) left as references. */
    static final ReadOptions BULK = ReadOptions.DEFAULT.withBulkThreshold(1024);

    static final String STUDY_UID = SyntheticCt.uid("bench-study");
    static final String SERIES_UID = SyntheticCt.uid("bench-series");

    /** One single-frame CT slice on disk and in memory, and its parsed header. */
    @State(Scope.Benchmark)
    public static class Ct {
        Path dir;
        Path file;
        byte[] bytes;
        Attributes header;
        ByteArrayOutputStream sink;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("dpacs-bench-ct");
            file = SyntheticCt.writeInstance(dir, STUDY_UID, SERIES_UID, 1);
            bytes = Files.readAllBytes(file);
            DicomFile parsed = DicomReader.readFile(file, HEADER);
            header = parsed.dataset();
            // Sized once so the write benchmarks measure encoding, not the sink growing.
            sink = new ByteArrayOutputStream(64 * 1024);
            System.out.printf("%nCT file: %d bytes, header (before Pixel Data) %d bytes, %d top-level attributes%n",
                    bytes.length, parsed.parse().endOffset(), header.size());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** The mostly-pixel-data multi-frame file; generated streaming, so setup needs no 100 MB array. */
    @State(Scope.Benchmark)
    public static class MultiFrame {
        @Param("200")
        int frames;
        Path dir;
        Path file;
        long size;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("dpacs-bench-mf");
            file = SyntheticCt.writeMultiFrame(dir.resolve("multiframe.dcm"), STUDY_UID, SERIES_UID, frames);
            size = Files.size(file);
            // scripts/bench-toolkit reads this line to turn time per parse into GB/s.
            System.out.printf("%nmulti-frame file: %d bytes (%d frames)%n", size, frames);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** (a) Header parse from a file channel, stopping before Pixel Data: the indexing path. */
    @Benchmark
    public DicomFile headerFromFile(Ct ct) throws IOException {
        return DicomReader.readFile(ct.file, HEADER);
    }

    /** (b) Whole data set from a file channel, bulk values (> 1 KiB) and pixels left as references. */
    @Benchmark
    public DicomFile fullWithBulkRefs(Ct ct) throws IOException {
        return DicomReader.readFile(ct.file, BULK);
    }

    /** (c) Header parse from a byte[]: the same work as (a) without open/read/close system calls. */
    @Benchmark
    public DicomFile headerFromBytes(Ct ct) throws IOException {
        return DicomReader.read(new ByteArrayInputStream(ct.bytes), "memory", HEADER);
    }

    /**
     * (d) The ~100 MB multi-frame file from a file channel with pixels skipped: the reader seeks over Pixel
     * Data, so this is what a file-based store pays per file, independent of the pixel bytes.
     */
    @Benchmark
    public DicomFile multiFrameSkipPixelsChannel(MultiFrame mf) throws IOException {
        return DicomReader.readFile(mf.file, ReadOptions.DEFAULT);
    }

    /**
     * (d') The same from an InputStream, which cannot seek: the reader reads through every pixel byte to
     * skip it (from the page cache here). This is the honest throughput figure for network streams.
     */
    @Benchmark
    public DicomFile multiFrameSkipPixelsStream(MultiFrame mf) throws IOException {
        try (InputStream in = Files.newInputStream(mf.file)) {
            return DicomReader.read(in, mf.file.toString(), ReadOptions.DEFAULT);
        }
    }

    /** (e) The parsed header as DICOM JSON (JsonOptions.DEFAULT: the private blob inline as base64). */
    @Benchmark
    public int jsonFromAttributes(Ct ct) throws IOException {
        ct.sink.reset();
        DicomJsonWriter.write(ct.header, ct.sink, JsonOptions.DEFAULT);
        return ct.sink.size();
    }

    /**
     * (e') Bytes to DICOM JSON in one pass, the reader's events going straight to the JSON writer: no
     * Attributes is built. Compare with headerFromBytes + jsonFromAttributes.
     */
    @Benchmark
    public int jsonStreamingFromBytes(Ct ct) throws IOException {
        ct.sink.reset();
        try (JsonGenerator gen = DicomJsonWriter.generator(ct.sink, JsonOptions.DEFAULT)) {
            new DicomReader(new ByteArrayInputStream(ct.bytes), "memory", HEADER)
                    .parse(new DicomJsonWriter(gen, JsonOptions.DEFAULT));
        }
        return ct.sink.size();
    }

    /** (f) The parsed header written as a bare data set (no preamble or File Meta Information). */
    @Benchmark
    public int writeHeaderDataset(Ct ct) throws IOException {
        ct.sink.reset();
        DicomWriter.writeDataset(ct.sink, ct.header, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        return ct.sink.size();
    }

    /** (f') The parsed header written as a Part 10 file (preamble and File Meta Information included). */
    @Benchmark
    public int writeHeaderFile(Ct ct) throws IOException {
        ct.sink.reset();
        DicomWriter.writeFile(ct.sink, ct.header, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
        return ct.sink.size();
    }

    /** Streaming parse into a handler that keeps nothing: the reader's own cost, without building Attributes. */
    @Benchmark
    public long headerEventsOnly(Ct ct) throws IOException {
        CountingHandler handler = new CountingHandler();
        new DicomReader(new ByteArrayInputStream(ct.bytes), "memory", HEADER).parse(handler);
        return handler.checksum;
    }
}
