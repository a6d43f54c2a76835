package org.dpacs.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.BinaryValues;
import org.dpacs.dicom.data.BulkDataRef;
import org.dpacs.dicom.data.Fragment;
import org.dpacs.dicom.data.Fragments;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TextValues;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.dict.DictEntry;
import org.dpacs.dicom.dict.ElementDictionary;

/**
 * The streaming Part 10 parser: reads the preamble and File Meta Information when present, then the data set
 * in its transfer syntax, and emits events to a {@link DicomHandler}. Values above the bulk threshold and
 * pixel data (unless asked for) are skipped and reported as references, so a header parse never touches the
 * pixel bytes of a file.
 *
 * <p>One reader parses one stream once; it is not thread-safe. In deflated data sets offsets do not address
 * the file, so there every value is read into memory.
 *
 * <pre>{@code
 * DicomFile f = DicomReader.readFile(path, ReadOptions.DEFAULT.withStopAt(Tag.PixelData));
 * }</pre>
 */
public final class DicomReader implements AutoCloseable {
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final long TOP = -2;
    private static final int BUFFER = 16 * 1024;
    /** The largest Java array the JVMs we run on allocate reliably. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private DicomInput input;
    private final String source;
    private final ReadOptions options;
    private final List<String> warnings = new ArrayList<>();
    private DicomHandler handler;
    private Inflater inflater;
    private boolean deflated;
    private long bytesInMemory;
    private long endOffset = -1;
    private TransferSyntax knownSyntax;
    private boolean stopped;

    /** Per data set level: what later elements of the same level need to know. */
    private static final class Level {
        final Level parent;
        int pixelRepresentation = -1;
        int bitsAllocated = -1;
        int[] creatorTags = new int[0];
        String[] creators = new String[0];

        Level(Level parent) {
            this.parent = parent;
        }

        int pixelRepresentation() {
            return pixelRepresentation >= 0 || parent == null ? pixelRepresentation : parent.pixelRepresentation();
        }

        int bitsAllocated() {
            return bitsAllocated >= 0 || parent == null ? bitsAllocated : parent.bitsAllocated();
        }

        String creatorOf(int tag) {
            int creatorTag = Tag.privateCreatorOf(tag);
            for (int i = 0; i < creatorTags.length; i++) {
                if (creatorTags[i] == creatorTag) {
                    return creators[i];
                }
            }
            return null;
        }

        void addCreator(int tag, String creator) {
            creatorTags = java.util.Arrays.copyOf(creatorTags, creatorTags.length + 1);
            creators = java.util.Arrays.copyOf(creators, creators.length + 1);
            creatorTags[creatorTags.length - 1] = tag;
            creators[creators.length - 1] = creator;
        }
    }

    /** A reader over a stream of unknown length; {@code source} names it in bulk data references. */
    public DicomReader(InputStream in, String source, ReadOptions options) {
        this.input = new DicomInput(in, -1, 0, BUFFER);
        this.source = source;
        this.options = options;
    }

    /** A reader over a seekable channel (a file): lengths are checked against its size and skips are seeks. */
    public DicomReader(SeekableByteChannel channel, String source, ReadOptions options) throws IOException {
        this.input = new DicomInput(channel, BUFFER);
        this.source = source;
        this.options = options;
    }

    /**
     * A reader of a bare data set (no preamble, no File Meta Information) known to be in {@code transferSyntax},
     * as DIMSE delivers them and as the tail of a stream after {@link #remainingInput()}; nothing is guessed.
     */
    public static DicomReader forDataset(InputStream in, String source, TransferSyntax transferSyntax,
                                         ReadOptions options) {
        DicomReader reader = new DicomReader(in, source, options);
        reader.knownSyntax = transferSyntax;
        return reader;
    }

    /** Reads a file into memory as {@code options} say. */
    public static DicomFile readFile(Path path, ReadOptions options) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(path)) {
            return collect(new DicomReader(channel, path.toString(), options));
        }
    }

    /** Reads a stream into memory as {@code options} say. */
    public static DicomFile read(InputStream in, String source, ReadOptions options) throws IOException {
        return collect(new DicomReader(in, source, options));
    }

    private static DicomFile collect(DicomReader reader) throws IOException {
        AttributesCollector collector = new AttributesCollector();
        ParseResult result = reader.parse(collector);
        return new DicomFile(result.fileMetaInformation(), collector.dataset(), result);
    }

    /** Parses the whole input (or up to {@code stopAt}), emitting events to {@code handler}. */
    public ParseResult parse(DicomHandler handler) throws IOException {
        try {
            return doParse(handler);
        } catch (DicomParseException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof java.util.zip.ZipException || e.getCause() instanceof java.util.zip.DataFormatException) {
                throw new DicomParseException("Corrupt deflated data: " + e.getMessage(), input.position(),
                        input.contextTag, e);
            }
            if (deflated && e instanceof java.io.EOFException) {
                throw new DicomParseException("Deflated data ends early: " + e.getMessage(), input.position(),
                        input.contextTag, e);
            }
            throw e;
        } finally {
            // After a stop the caller may still read remainingInput(), which needs the inflater: close() ends it.
            if (inflater != null && !stopped) {
                inflater.end();
            }
        }
    }

    /** Releases the inflater a deflated parse that stopped early keeps for {@link #remainingInput()}. */
    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
        }
    }

    private ParseResult doParse(DicomHandler handler) throws IOException {
        this.handler = handler;
        AttributesCollector fmiCollector = new AttributesCollector();
        if (knownSyntax != null) {
            if (knownSyntax.deflated()) {
                startInflating();
            }
            long start = input.position();
            handler.startDataset(knownSyntax);
            readDataset(0, TOP, knownSyntax.explicitVr(), knownSyntax.bigEndian(), new Level(null), false);
            handler.endDataset();
            return new ParseResult(Attributes.EMPTY, knownSyntax, start, stopped ? endOffset : input.position(),
                    stopped, warnings);
        }
        boolean hasFmi = skipPreamble();
        TransferSyntax declared = null;
        if (hasFmi) {
            DicomHandler dataHandler = this.handler;
            this.handler = fmiCollector;
            readDataset(0, TOP, true, false, new Level(null), true);
            this.handler = dataHandler;
            handler.fileMetaInformation(fmiCollector.dataset());
            declared = fmiCollector.dataset().string(Tag.TransferSyntaxUID).map(TransferSyntax::of).orElse(null);
            if (declared == null) {
                warnings.add("File Meta Information has no Transfer Syntax UID (0002,0010); guessed from the data set");
            }
        }
        if (declared != null && declared.deflated()) {
            startInflating();
        }
        long datasetOffset = input.position();
        TransferSyntax ts = detectSyntax(declared);
        handler.startDataset(ts);
        readDataset(0, TOP, ts.explicitVr(), ts.bigEndian(), new Level(null), false);
        handler.endDataset();
        return new ParseResult(fmiCollector.dataset(), ts, datasetOffset,
                stopped ? endOffset : input.position(), stopped, warnings);
    }

    /** PS3.10 7.1: 128-byte preamble then "DICM"; files without either are read as a bare data set. */
    private boolean skipPreamble() throws IOException {
        input.ensure(132);
        if (hasMagicAt(128)) {
            input.skip(132);
            return true;
        }
        if (hasMagicAt(0)) {
            input.skip(4);
            return true;
        }
        // No preamble, but the data set may still open with group 0002 (explicit VR LE by definition).
        return input.ensure(6) && input.peek(0) == 0x02 && input.peek(1) == 0x00 && isVrCode(input.peek(4), input.peek(5));
    }

    private boolean hasMagicAt(int offset) throws IOException {
        return input.ensure(offset + 4) && input.peek(offset) == 'D' && input.peek(offset + 1) == 'I'
                && input.peek(offset + 2) == 'C' && input.peek(offset + 3) == 'M';
    }

    private static boolean isVrCode(int b0, int b1) {
        return b0 >= 'A' && b0 <= 'Z' && b1 >= 'A' && b1 <= 'Z' && Vr.ofCodeOrNull((b0 << 8) | b1) != null;
    }

    private void startInflating() {
        inflater = new Inflater(true); // PS3.5 A.5: raw deflate (RFC 1951), no zlib header
        InputStream inflated = new InflaterInputStream(input.remainderAsStream(), inflater, 8192);
        input = new DicomInput(inflated, -1, input.position(), BUFFER);
        deflated = true;
    }

    /**
     * Checks the declared syntax against the first element and follows the bytes when they disagree, as
     * files with a wrong (0002,0010) exist; guesses the syntax when nothing was declared.
     */
    private TransferSyntax detectSyntax(TransferSyntax declared) throws IOException {
        if (!input.ensure(6)) {
            return declared != null ? declared : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        boolean looksExplicit = isVrCode(input.peek(4), input.peek(5));
        if (declared == null) {
            int groupLe = input.peek(0) | (input.peek(1) << 8);
            int groupBe = (input.peek(0) << 8) | input.peek(1);
            boolean bigEndian = groupBe < groupLe;
            if (bigEndian) {
                return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
            }
            return looksExplicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        if (declared.explicitVr() && !looksExplicit && !declared.bigEndian()) {
            warnings.add("Transfer syntax " + declared.uid() + " is explicit VR but the data set is implicit VR; read as implicit");
            return new TransferSyntax(declared.uid(), declared.name(), false, false, declared.deflated(),
                    declared.encapsulated());
        }
        if (!declared.explicitVr() && looksExplicit) {
            warnings.add("Transfer syntax " + declared.uid() + " is implicit VR but the data set is explicit VR; read as explicit");
            return TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        }
        return declared;
    }

    /**
     * Reads elements until {@code end}: an absolute offset for defined-length items, {@link #UNDEFINED} for
     * items closed by an Item Delimitation Item, {@link #TOP} for the top level (end of input or stopAt).
     */
    private void readDataset(int depth, long end, boolean explicit, boolean bigEndian, Level level, boolean fmiOnly)
            throws IOException {
        while (true) {
            long elementStart = input.position();
            if (end >= 0) {
                if (elementStart == end) {
                    return;
                }
                if (elementStart > end) {
                    throw new DicomParseException("Item content overruns its length by " + (elementStart - end)
                            + " bytes", elementStart, input.contextTag);
                }
            } else if (end == TOP && input.atEnd()) {
                return;
            }
            if (fmiOnly && (!input.ensure(2) || input.peek(0) != 0x02 || input.peek(1) != 0x00)) {
                return;
            }
            input.contextTag = -1;
            if (end == TOP && !fmiOnly && options.stopAt() != ReadOptions.NO_STOP && input.ensure(4)
                    && Integer.compareUnsigned(peekTag(bigEndian), options.stopAt()) >= 0
                    && peekTag(bigEndian) != Tag.ItemDelimitationItem) {
                // Peeked, not consumed: remainingInput() then starts exactly at the stop element.
                stopped = true;
                endOffset = elementStart;
                return;
            }
            int tag = input.tag(bigEndian);
            input.contextTag = tag;
            if (tag == Tag.ItemDelimitationItem) {
                input.i32(bigEndian);
                if (end == UNDEFINED) {
                    return;
                }
                warnings.add("Stray Item Delimitation Item ignored at position " + elementStart);
                continue;
            }
            if (tag == Tag.Item || tag == Tag.SequenceDelimitationItem) {
                throw new DicomParseException("Unexpected " + (tag == Tag.Item ? "item" : "sequence delimitation")
                        + " tag outside a sequence", elementStart, tag);
            }
            readElement(tag, depth, explicit, bigEndian, level);
        }
    }

    private int peekTag(boolean bigEndian) {
        int g = bigEndian ? (input.peek(0) << 8) | input.peek(1) : input.peek(0) | (input.peek(1) << 8);
        int e = bigEndian ? (input.peek(2) << 8) | input.peek(3) : input.peek(2) | (input.peek(3) << 8);
        return (g << 16) | e;
    }

    /**
     * After a parse that stopped at {@code stopAt}, the unread rest of the input starting exactly at the stop
     * element (what the reader had buffered, then the rest of the source), so the caller can copy pixel data
     * to storage without parsing or holding it. For a deflated data set this is the inflated rest, which is
     * Explicit VR Little Endian (PS3.5 A.5).
     */
    public InputStream remainingInput() {
        return input.remainderAsStream();
    }

    private void readElement(int tag, int depth, boolean explicit, boolean bigEndian, Level level) throws IOException {
        Vr vr;
        long length;
        if (explicit) {
            int code = input.u16(true);
            vr = Vr.ofCodeOrNull(code);
            if (vr == null) {
                throw new DicomParseException(String.format("Unknown VR 0x%04X ('%s')", code, printable(code)),
                        input.position() - 2, tag);
            }
            if (vr.isLongHeader()) {
                input.u16(bigEndian); // PS3.5 7.1.2: two reserved bytes
                length = input.i32(bigEndian) & 0xFFFFFFFFL;
            } else {
                length = input.u16(bigEndian);
            }
        } else {
            length = input.i32(bigEndian) & 0xFFFFFFFFL;
            vr = implicitVr(tag, level);
        }
        boolean undefined = length == UNDEFINED;
        if (explicit && vr == Vr.UN && !bigEndian) {
            // PS3.5 6.2.2: a UN element of a known tag is read with the dictionary VR; its value is implicit VR LE.
            Vr known = Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag)
                    ? ElementDictionary.vrOf(tag, level.creatorOf(tag)) : ElementDictionary.vrOf(tag);
            if ((known == Vr.SQ && (undefined || startsWithItem(length))) || (undefined && known == Vr.UN)) {
                readSequence(tag, length, depth, false, false, level);
                return;
            }
            if (known != Vr.UN && known != Vr.SQ && !undefined) {
                vr = implicitVr(tag, level);
            }
        }
        if (vr == Vr.SQ) {
            readSequence(tag, length, depth, explicit, bigEndian, level);
            return;
        }
        if (undefined) {
            if (isPixelData(tag) || vr == Vr.OB || vr == Vr.OW) {
                readFragments(tag, vr == Vr.OW && !explicit ? Vr.OB : vr, depth);
            } else if (vr == Vr.UN) {
                readSequence(tag, length, depth, false, false, level);
            } else {
                throw new DicomParseException("Undefined length is not allowed for VR " + vr, input.position() - 4, tag);
            }
            return;
        }
        if (length > input.remaining()) {
            throw new DicomParseException("Value length " + length + " exceeds the " + input.remaining()
                    + " bytes left in the input", input.position(), tag);
        }
        if (!deflated && leaveInSource(tag, vr, length, depth)) {
            BulkDataRef ref = new BulkDataRef(source, input.position(), length, bigEndian && vr.isSwapped());
            input.skip(length);
            handler.bulkData(tag, vr, ref);
            return;
        }
        if (length > MAX_ARRAY) {
            throw new DicomParseException("Value of " + length + " bytes cannot be held in memory; read it with a "
                    + "bulk data threshold instead", input.position(), tag);
        }
        charge(length);
        byte[] value = input.readValue((int) length);
        if (bigEndian && vr.isSwapped()) {
            BinaryValues.swap(value, 0, value.length, vr);
        }
        remember(tag, vr, value, level);
        handler.element(tag, vr, value);
    }

    /**
     * Whether a defined-length UN value is empty or opens with an implicit VR LE item tag, i.e. really holds a
     * sequence; UN bytes copied from big endian files do not, and are kept as UN rather than misparsed.
     */
    private boolean startsWithItem(long length) throws IOException {
        if (length == 0) {
            return true;
        }
        return length >= 8 && input.ensure(4) && input.peek(0) == 0xFE && input.peek(1) == 0xFF
                && input.peek(2) == 0x00 && input.peek(3) == 0xE0;
    }

    private boolean leaveInSource(int tag, Vr vr, long length, int depth) {
        if (depth == 0 && isPixelData(tag)) {
            return !options.loadPixelData();
        }
        return length > options.bulkThreshold() && vr.isBulkCandidate();
    }

    private static boolean isPixelData(int tag) {
        return tag == Tag.PixelData || tag == Tag.FloatPixelData || tag == Tag.DoubleFloatPixelData;
    }

    private void charge(long bytes) throws DicomParseException {
        bytesInMemory += bytes + 32;
        if (bytesInMemory > options.maxBytes()) {
            throw new DicomParseException("Data set needs more than the " + options.maxBytes()
                    + " bytes of memory allowed (ReadOptions.maxBytes)", input.position(), input.contextTag);
        }
    }

    /** Notes what later elements of this level need: private creators and the pixel module's shape. */
    private static void remember(int tag, Vr vr, byte[] value, Level level) {
        if (Tag.isPrivateCreator(tag)) {
            level.addCreator(tag, TextValues.trimEnd(new String(value, StandardCharsets.ISO_8859_1)).strip());
        } else if (tag == Tag.PixelRepresentation && value.length >= 2) {
            level.pixelRepresentation = BinaryValues.ints(value, Vr.US)[0];
        } else if (tag == Tag.BitsAllocated && value.length >= 2) {
            level.bitsAllocated = BinaryValues.ints(value, Vr.US)[0];
        }
    }

    /** The VR of an element in implicit VR: the dictionary's, with PS3.5's ambiguous VRs resolved. */
    private static Vr implicitVr(int tag, Level level) {
        if (Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag) && Tag.element(tag) != 0) {
            return ElementDictionary.vrOf(tag, level.creatorOf(tag));
        }
        Vr vr = ElementDictionary.vrOf(tag);
        if (vr != Vr.US && vr != Vr.OB && vr != Vr.SS) {
            return vr;
        }
        DictEntry entry = ElementDictionary.lookup(tag).orElse(null);
        if (entry == null || !entry.isAmbiguous()) {
            return vr;
        }
        List<Vr> choices = entry.vrs();
        if (choices.contains(Vr.OW)) {
            // PS3.5 A.1: in implicit VR LE, pixel data, overlay data and LUT data are OW.
            return Vr.OW;
        }
        if (choices.contains(Vr.SS)) {
            return level.pixelRepresentation() == 1 ? Vr.SS : Vr.US;
        }
        return vr;
    }

    private void readSequence(int tag, long length, int depth, boolean explicit, boolean bigEndian, Level level)
            throws IOException {
        if (depth + 1 > options.maxDepth()) {
            throw new DicomParseException("Sequences nested deeper than " + options.maxDepth(), input.position(), tag);
        }
        long sequenceStart = input.position();
        long end = -1;
        if (length != UNDEFINED) {
            if (length > input.remaining()) {
                throw new DicomParseException("Sequence length " + length + " exceeds the " + input.remaining()
                        + " bytes left in the input", sequenceStart, tag);
            }
            end = sequenceStart + length;
        }
        handler.startSequence(tag, Vr.SQ);
        while (end < 0 || input.position() < end) {
            long itemStart = input.position();
            input.contextTag = tag;
            int itemTag = input.tag(bigEndian);
            long itemLength = input.i32(bigEndian) & 0xFFFFFFFFL;
            if (itemTag == Tag.SequenceDelimitationItem) {
                if (end >= 0) {
                    warnings.add("Sequence Delimitation Item in defined-length sequence " + Tag.toString(tag)
                            + " at position " + itemStart + "; sequence ended there");
                    input.skip(end - input.position());
                }
                break;
            }
            if (itemTag != Tag.Item) {
                throw new DicomParseException("Expected an item (FFFE,E000) in sequence, found " + Tag.toString(itemTag),
                        itemStart, tag);
            }
            handler.startItem();
            Level itemLevel = new Level(level);
            if (itemLength == UNDEFINED) {
                readDataset(depth + 1, UNDEFINED, explicit, bigEndian, itemLevel, false);
            } else {
                long itemEnd = input.position() + itemLength;
                if (itemLength > input.remaining() || (end >= 0 && itemEnd > end)) {
                    throw new DicomParseException("Item length " + itemLength + " exceeds its sequence or the input",
                            itemStart, tag);
                }
                readDataset(depth + 1, itemEnd, explicit, bigEndian, itemLevel, false);
            }
            handler.endItem();
        }
        if (end >= 0 && input.position() != end) {
            throw new DicomParseException("Sequence items overrun the sequence length", input.position(), tag);
        }
        handler.endSequence();
    }

    /** PS3.5 A.4: encapsulated pixel data is a sequence of items, the first being the Basic Offset Table. */
    private void readFragments(int tag, Vr vr, int depth) throws IOException {
        boolean load = options.loadPixelData() || deflated || depth > 0;
        List<Fragment> items = new ArrayList<>();
        while (true) {
            long itemStart = input.position();
            input.contextTag = tag;
            int itemTag = input.tag(false);
            long itemLength = input.i32(false) & 0xFFFFFFFFL;
            if (itemTag == Tag.SequenceDelimitationItem) {
                break;
            }
            if (itemTag != Tag.Item) {
                throw new DicomParseException("Expected a fragment item (FFFE,E000) in encapsulated pixel data, found "
                        + Tag.toString(itemTag), itemStart, tag);
            }
            if (itemLength == UNDEFINED || itemLength > input.remaining()) {
                throw new DicomParseException("Fragment length " + (itemLength == UNDEFINED ? "undefined" : itemLength)
                        + " exceeds the input", itemStart, tag);
            }
            if (itemLength > MAX_ARRAY) {
                throw new DicomParseException("Fragment of " + itemLength + " bytes is larger than dPACS supports ("
                        + MAX_ARRAY + ")", itemStart, tag);
            }
            long offset = input.position();
            if (load) {
                charge(itemLength);
                items.add(Fragment.loaded(offset, input.readValue((int) itemLength)));
            } else {
                charge(0);
                input.skip(itemLength);
                items.add(Fragment.reference(offset, (int) itemLength));
            }
        }
        handler.fragments(tag, vr, new Fragments(vr, source, items));
    }

    private static String printable(int code) {
        char a = (char) (code >> 8);
        char b = (char) (code & 0xFF);
        return (a >= 32 && a < 127 ? String.valueOf(a) : "?") + (b >= 32 && b < 127 ? String.valueOf(b) : "?");
    }
}
