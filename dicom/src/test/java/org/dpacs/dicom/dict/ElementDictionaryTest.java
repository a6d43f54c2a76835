package org.dpacs.dicom.dict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.Vr;
import org.junit.jupiter.api.Test;

class ElementDictionaryTest {

    @Test
    void plainEntry() {
        DictEntry e = ElementDictionary.lookup(Tag.PatientName).orElseThrow();
        assertThat(e.tag()).isEqualTo(0x00100010);
        assertThat(e.mask()).isEqualTo(0xFFFFFFFF);
        assertThat(e.vrs()).containsExactly(Vr.PN);
        assertThat(e.vm()).isEqualTo("1");
        assertThat(e.keyword()).isEqualTo("PatientName");
        assertThat(e.name()).isEqualTo("Patient's Name");
        assertThat(e.retired()).isFalse();
        assertThat(e.isRepeating()).isFalse();
        assertThat(e.pattern()).isEqualTo("00100010");
        assertThat(ElementDictionary.vrOf(Tag.PatientName)).isEqualTo(Vr.PN);
        assertThat(ElementDictionary.keywordOf(Tag.PatientName)).contains("PatientName");
        assertThat(ElementDictionary.tagOf("PatientName")).hasValue(Tag.PatientName);
    }

    @Test
    void ambiguousVrs() {
        DictEntry pixelData = ElementDictionary.lookup(Tag.PixelData).orElseThrow();
        assertThat(pixelData.vrs()).containsExactly(Vr.OB, Vr.OW);
        assertThat(pixelData.isAmbiguous()).isTrue();
        assertThat(pixelData.vr()).isEqualTo(Vr.OB);
        assertThat(ElementDictionary.vrOf(Tag.PixelData)).isEqualTo(Vr.OB);

        // (0028,0106) Smallest Image Pixel Value: US or SS depending on Pixel Representation.
        assertThat(ElementDictionary.lookup(0x00280106).orElseThrow().vrs()).containsExactly(Vr.US, Vr.SS);
        // (0028,1200) Gray Lookup Table Data (retired) is the one three-way entry.
        DictEntry gray = ElementDictionary.lookup(0x00281200).orElseThrow();
        assertThat(gray.vrs()).containsExactly(Vr.US, Vr.SS, Vr.OW);
        assertThat(gray.retired()).isTrue();
    }

    @Test
    void repeatingGroups() {
        DictEntry overlay = ElementDictionary.lookup(0x60023000).orElseThrow();
        assertThat(overlay.keyword()).isEqualTo("OverlayData");
        assertThat(overlay.tag()).isEqualTo(0x60003000);
        assertThat(overlay.mask()).isEqualTo(0xFF00FFFF);
        assertThat(overlay.pattern()).isEqualTo("60xx3000");
        assertThat(overlay.matches(0x601E3000)).isTrue();
        assertThat(overlay.isRepeating()).isTrue();
        assertThat(ElementDictionary.vrOf(0x60023000)).isEqualTo(Vr.OB);
        assertThat(ElementDictionary.vrOf(0x60020010)).isEqualTo(Vr.US); // Overlay Rows
        assertThat(ElementDictionary.keywordOf(0x50100005)).contains("CurveDimensions");
        assertThat(ElementDictionary.tagOf("OverlayData")).hasValue(0x60003000);

        // Odd groups are private, so the 60xx mask must not claim them.
        assertThat(ElementDictionary.lookup(0x60013000)).isEmpty();
        assertThat(ElementDictionary.vrOf(0x60013000)).isEqualTo(Vr.UN);
    }

    @Test
    void masksOtherThanGroupWildcards() {
        assertThat(ElementDictionary.lookup(0x10000120).orElseThrow().keyword()).isEqualTo("EscapeTriplet");
        assertThat(ElementDictionary.lookup(0x10000125).orElseThrow().keyword()).isEqualTo("ShiftTableTriplet");
        assertThat(ElementDictionary.lookup(0x1010ABCD).orElseThrow().keyword()).isEqualTo("ZonalMap");
        assertThat(ElementDictionary.lookup(0x002804A3).orElseThrow().keyword()).isEqualTo("CoefficientCodingPointers");
        assertThat(ElementDictionary.lookup(0x002031FF).orElseThrow().keyword()).isEqualTo("SourceImageIDs");

        // (1000,xxx0) and (1010,xxxx) cover element 0000 too, but that element is always the group length.
        assertThat(ElementDictionary.lookup(0x10000000)).isEmpty();
        assertThat(ElementDictionary.vrOf(0x10100000)).isEqualTo(Vr.UL);
        assertThat(ElementDictionary.tagOf("EscapeTriplet")).hasValue(0x10000010);
        assertThat(ElementDictionary.tagOf("ZonalMap")).hasValue(0x10100001);

        // Exact entries inside a repeating range win, so the keyword maps to the first tag not shadowed.
        assertThat(ElementDictionary.keywordOf(0x00280400)).contains("TransformLabel");
        assertThat(ElementDictionary.keywordOf(0x00280410)).contains("RowsForNthOrderCoefficients");
        assertThat(ElementDictionary.tagOf("RowsForNthOrderCoefficients")).hasValue(0x00280410);
        assertThat(ElementDictionary.keywordOf(0x7FE20010)).contains("VariablePixelData");
    }

    @Test
    void commandGroup() {
        DictEntry e = ElementDictionary.lookup(0x00000100).orElseThrow();
        assertThat(e.keyword()).isEqualTo("CommandField");
        assertThat(e.vr()).isEqualTo(Vr.US);
        assertThat(ElementDictionary.tagOf("CommandField")).hasValue(0x00000100);
        assertThat(ElementDictionary.tagOf("MessageIDBeingRespondedTo")).hasValue(0x00000120);
        assertThat(ElementDictionary.vrOf(0x00000000)).isEqualTo(Vr.UL);
        assertThat(ElementDictionary.keywordOf(0x00000000)).contains("CommandGroupLength");
    }

    @Test
    void retiredFlag() {
        // pydicom 2.3.1 (PS3.6 2022) lists Red Palette Color LUT Data as current, CommandLengthToEnd as retired.
        DictEntry red = ElementDictionary.lookup(0x00281201).orElseThrow();
        assertThat(red.keyword()).isEqualTo("RedPaletteColorLookupTableData");
        assertThat(red.vrs()).containsExactly(Vr.OW);
        assertThat(red.retired()).isFalse();
        assertThat(ElementDictionary.lookup(0x00000001).orElseThrow().retired()).isTrue();
    }

    @Test
    void groupLengthsAndPrivateCreators() {
        assertThat(ElementDictionary.lookup(0x00190000)).isEmpty();
        assertThat(ElementDictionary.vrOf(0x00190000)).isEqualTo(Vr.UL);
        assertThat(ElementDictionary.vrOf(0x00080000)).isEqualTo(Vr.UL);
        assertThat(ElementDictionary.lookup(Tag.FileMetaInformationGroupLength).orElseThrow().keyword())
                .isEqualTo("FileMetaInformationGroupLength");

        assertThat(ElementDictionary.vrOf(0x00290010)).isEqualTo(Vr.LO);
        assertThat(ElementDictionary.vrOf(0x002900FF)).isEqualTo(Vr.LO);
        assertThat(ElementDictionary.lookup(0x00290010)).isEmpty();
        assertThat(ElementDictionary.vrOf(0x00291010)).isEqualTo(Vr.UN);
        assertThat(ElementDictionary.vrOf(0x00091234)).isEqualTo(Vr.UN);
    }

    @Test
    void itemsHaveNoVr() {
        DictEntry item = ElementDictionary.lookup(Tag.Item).orElseThrow();
        assertThat(item.vrs()).isEmpty();
        assertThat(item.vr()).isEqualTo(Vr.UN);
        assertThat(item.isAmbiguous()).isFalse();
        assertThat(ElementDictionary.tagOf("SequenceDelimitationItem")).hasValue(Tag.SequenceDelimitationItem);
        // Negative ints must sort and search like any other tag.
        assertThat(ElementDictionary.vrOf(Tag.DataSetTrailingPadding)).isEqualTo(Vr.OB);
    }

    @Test
    void unknownTagsAndKeywords() {
        assertThat(ElementDictionary.lookup(0x00100011)).isEmpty();
        assertThat(ElementDictionary.vrOf(0x00100011)).isEqualTo(Vr.UN);
        assertThat(ElementDictionary.keywordOf(0x00100011)).isEmpty();
        assertThat(ElementDictionary.tagOf("NoSuchKeyword")).isEmpty();
        assertThat(ElementDictionary.tagOf("patientname")).isEmpty();
        // Some retired rows have no keyword; the empty string must not resolve to one of them.
        assertThat(ElementDictionary.tagOf("")).isEmpty();
        assertThat(ElementDictionary.keywordOf(0x00180061)).isEmpty();
    }

    @Test
    void privateDictionary() {
        int csaImageHeaderInfo = 0x00291010;
        DictEntry e = ElementDictionary.lookupPrivate("SIEMENS CSA HEADER", csaImageHeaderInfo).orElseThrow();
        assertThat(e.vrs()).containsExactly(Vr.OB);
        assertThat(e.name()).isEqualTo("CSA Image Header Info");
        assertThat(e.keyword()).isEmpty();
        assertThat(e.pattern()).isEqualTo("0029xx10");
        assertThat(ElementDictionary.vrOf(csaImageHeaderInfo, "SIEMENS CSA HEADER")).isEqualTo(Vr.OB);
        // The block number is whatever the writer chose; padded creator values must still match.
        assertThat(ElementDictionary.vrOf(0x00291110, "SIEMENS CSA HEADER ")).isEqualTo(Vr.OB);
        assertThat(ElementDictionary.vrOf(0x00291008, "SIEMENS CSA HEADER\0")).isEqualTo(Vr.CS);

        assertThat(ElementDictionary.vrOf(csaImageHeaderInfo, null)).isEqualTo(Vr.UN);
        assertThat(ElementDictionary.vrOf(csaImageHeaderInfo, "ACME")).isEqualTo(Vr.UN);
        assertThat(ElementDictionary.vrOf(0x00291099, "SIEMENS CSA HEADER")).isEqualTo(Vr.UN);
        assertThat(ElementDictionary.lookupPrivate(null, csaImageHeaderInfo)).isEmpty();
        // Creator elements and group lengths keep their fixed VRs whatever the creator says.
        assertThat(ElementDictionary.vrOf(0x00290010, "SIEMENS CSA HEADER")).isEqualTo(Vr.LO);
        assertThat(ElementDictionary.vrOf(0x00290000, "SIEMENS CSA HEADER")).isEqualTo(Vr.UL);
        // A public tag ignores the creator.
        assertThat(ElementDictionary.vrOf(Tag.PatientName, "SIEMENS CSA HEADER")).isEqualTo(Vr.PN);

        // GDCM's OB_OW spelling becomes an ambiguous entry.
        assertThat(ElementDictionary.lookupPrivate("TOSHIBA_MEC_OT3", 0x70191080).orElseThrow().vrs())
                .containsExactly(Vr.OB, Vr.OW);
        // (ggxx,xxEE): PAPYRUS 3.0 overlay elements in any 60xx group and block.
        assertThat(ElementDictionary.lookupPrivate("PAPYRUS 3.0", 0x60111110).orElseThrow().name())
                .isEqualTo("Overlay Rows");
    }

    @Test
    void vrOfDoesNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        int[] probes = {Tag.PatientName, Tag.PixelData, 0x60023000, 0x00190000, 0x00290010, 0x00291010, 0x00100011,
                        0x10000120, Tag.Item};
        int sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += ElementDictionary.vrOf(probes[i % probes.length]).ordinal();
        }
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            sink += ElementDictionary.vrOf(probes[i % probes.length]).ordinal();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        // A single boxed Integer per call would already be 1.6 MB; allow for the measuring call itself.
        assertThat(allocated).isLessThan(1024);
    }

    @Test
    void entriesListEveryPublicEntryOnce() {
        List<DictEntry> all = ElementDictionary.entries();
        Set<String> patterns = new HashSet<>();
        for (DictEntry e : all) {
            assertThat(patterns.add(e.pattern())).as(e.pattern()).isTrue();
        }
        assertThat(all.getFirst().tag()).isEqualTo(0x00000000);
        assertThat(all.getLast().isRepeating()).isTrue();
    }

    /** Proves the generated table equals pydicom's: every entry, both directions, through the public API. */
    @Test
    void agreesWithPydicomOnEveryEntry() throws Exception {
        List<String[]> rows = python("""
                import pydicom
                from pydicom._dicom_dict import DicomDictionary, RepeatersDictionary
                from pydicom._private_dict import private_dictionaries
                from pydicom.datadict import get_entry, get_private_entry
                def out(*f): print('\\t'.join(f))
                for t, (vr, vm, name, ret, kw) in DicomDictionary.items():
                    out('E', '%08X' % t, vr, vm, kw, ret, name)
                for k, (vr, vm, name, ret, kw) in RepeatersDictionary.items():
                    pattern = ''.join(c if c == 'x' else c.upper() for c in k)
                    sample = int(k.replace('x', '2'), 16)
                    e = get_entry(sample)
                    out('R', pattern, '%08X' % sample, vr, vm, kw, ret, name, e[0], e[4])
                for creator, table in private_dictionaries.items():
                    for k, (vr, vm, name, ret) in table.items():
                        sample = int(k.replace('x', '1'), 16)
                        try:
                            e = get_private_entry(sample, creator)
                        except KeyError:
                            e = ('-', '', '-', '')
                        out('P', creator, '%08X' % sample, e[0], e[2])
                """);
        int exact = 0;
        int repeating = 0;
        int privates = 0;
        Set<String> patterns = new HashSet<>();
        for (String[] r : rows) {
            switch (r[0]) {
                case "E" -> {
                    int tag = Tag.parse(r[1]);
                    DictEntry e = ElementDictionary.lookup(tag).orElseThrow(() -> new AssertionError(r[1]));
                    assertThat(e.tag()).as(r[1]).isEqualTo(tag);
                    assertThat(e.mask()).as(r[1]).isEqualTo(0xFFFFFFFF);
                    assertThat(e.vrs()).as(r[1]).isEqualTo(vrs(r[2]));
                    assertThat(e.vm()).as(r[1]).isEqualTo(r[3]);
                    assertThat(e.keyword()).as(r[1]).isEqualTo(r[4]);
                    assertThat(e.retired()).as(r[1]).isEqualTo(r[5].equals("Retired"));
                    assertThat(e.name()).as(r[1]).isEqualTo(r[6]);
                    assertThat(ElementDictionary.vrOf(tag)).as(r[1]).isEqualTo(e.vr());
                    if (!r[4].isEmpty()) {
                        assertThat(ElementDictionary.tagOf(r[4])).as(r[4]).hasValue(tag);
                        assertThat(ElementDictionary.keywordOf(tag)).as(r[1]).contains(r[4]);
                    }
                    patterns.add(r[1]);
                    exact++;
                }
                case "R" -> {
                    int sample = Tag.parse(r[2]);
                    DictEntry e = ElementDictionary.lookup(sample).orElseThrow(() -> new AssertionError(r[1]));
                    // What pydicom's own lookup returns for a concrete tag in the range.
                    assertThat(e.vrs()).as(r[1]).isEqualTo(vrs(r[8]));
                    assertThat(e.keyword()).as(r[1]).isEqualTo(r[9]);
                    assertThat(ElementDictionary.vrOf(sample)).as(r[1]).isEqualTo(e.vr());
                    // And the row itself.
                    DictEntry row = ElementDictionary.entries().stream().filter(d -> d.pattern().equals(r[1]))
                            .findFirst().orElseThrow(() -> new AssertionError(r[1]));
                    assertThat(row.vrs()).as(r[1]).isEqualTo(vrs(r[3]));
                    assertThat(row.vm()).as(r[1]).isEqualTo(r[4]);
                    assertThat(row.keyword()).as(r[1]).isEqualTo(r[5]);
                    assertThat(row.retired()).as(r[1]).isEqualTo(r[6].equals("Retired"));
                    assertThat(row.name()).as(r[1]).isEqualTo(r[7]);
                    int tag = ElementDictionary.tagOf(r[5]).orElseThrow();
                    assertThat(row.matches(tag)).as(r[5]).isTrue();
                    assertThat(ElementDictionary.keywordOf(tag)).as(r[5]).contains(r[5]);
                    patterns.add(r[1]);
                    repeating++;
                }
                case "P" -> {
                    int sample = Tag.parse(r[2]);
                    var e = ElementDictionary.lookupPrivate(r[1], sample);
                    if (r[3].equals("-")) {
                        assertThat(e).as(r[1] + " " + r[2]).isEmpty();
                    } else {
                        assertThat(e).as(r[1] + " " + r[2]).isPresent();
                        assertThat(e.get().vrs()).as(r[1] + " " + r[2]).isEqualTo(vrs(r[3]));
                        assertThat(e.get().name()).as(r[1] + " " + r[2]).isEqualTo(r[4]);
                    }
                    privates++;
                }
                default -> throw new AssertionError("Unexpected line " + String.join("|", r));
            }
        }
        assertThat(exact).isGreaterThan(4000);
        assertThat(repeating).isGreaterThan(50);
        assertThat(privates).isGreaterThan(5000);
        // Nothing beyond pydicom's entries: same count and same set of patterns.
        assertThat(ElementDictionary.entries()).hasSize(exact + repeating);
        assertThat(ElementDictionary.entries().stream().map(DictEntry::pattern)).containsExactlyInAnyOrderElementsOf(patterns);
    }

    private static List<Vr> vrs(String pydicomVr) {
        List<Vr> vrs = new ArrayList<>();
        if (!pydicomVr.equals("NONE") && !pydicomVr.isEmpty()) {
            for (String code : pydicomVr.split(" or |_")) {
                vrs.add(Vr.valueOf(code));
            }
        }
        return vrs;
    }

    /** Runs a script with Debian's python3 and returns its tab-separated output; skips the test without pydicom. */
    static List<String[]> python(String script) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "/usr/bin/python3 not present");
        Process check = new ProcessBuilder(python.toString(), "-c", "import pydicom").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        assumeTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0, "pydicom not importable");

        Process p = new ProcessBuilder(python.toString(), "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python exit code").isZero();
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }
}
