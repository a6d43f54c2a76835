package org.dpacs.dicom.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.json.DicomJsonWriter;
import org.dpacs.dicom.json.JsonOptions;

/**
 * {@code dpacs dump [--json [--pretty]] FILE}: prints a DICOM file's attributes as dcmdump does (file meta
 * information, then the data set; pixel data shown by its length, never read), or its DICOM JSON (PS3.18 F.2)
 * with every value inline. Exit codes: 0 done, 1 the file cannot be read or parsed, 2 usage error.
 */
public final class DicomDump {
    static final String USAGE = """
            usage: dpacs dump [--json [--pretty]] FILE
              Prints the attributes of a DICOM file in dcmdump's format.
              --json    print the data set as DICOM JSON (PS3.18 F.2) instead, values inline
              --pretty  indent the JSON
            """;

    private DicomDump() {
    }

    /** Runs the command; text goes to {@code out} as UTF-8, diagnostics to {@code err}. Returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        boolean pretty = false;
        List<String> files = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--json" -> json = true;
                case "--pretty" -> pretty = true;
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) {
                        return usage(err, "unknown option " + arg);
                    }
                    files.add(arg);
                }
            }
        }
        if (files.size() != 1) {
            return usage(err, files.isEmpty() ? "no FILE given" : "one FILE only, got " + files.size());
        }
        if (pretty && !json) {
            return usage(err, "--pretty goes with --json");
        }
        return dump(files.get(0), json, pretty, out, err);
    }

    private static int usage(PrintStream err, String problem) {
        err.println("dpacs dump: " + problem);
        err.print(USAGE);
        return 2;
    }

    private static int dump(String file, boolean json, boolean pretty, PrintStream out, PrintStream err) {
        Path path = Path.of(file);
        try {
            DicomFile dicom = DicomReader.readFile(path, ReadOptions.DEFAULT);
            if (dicom.fileMetaInformation().isEmpty() && dicom.dataset().isEmpty()) {
                return fail(err, file, "not a DICOM file: no File Meta Information and no data elements");
            }
            dicom.parse().warnings().forEach(w -> err.println("dpacs dump: " + file + ": warning: " + w));
            if (json) {
                DicomJsonWriter.write(dicom.dataset(), out, JsonOptions.DEFAULT.withPretty(pretty));
                out.println();
            } else {
                PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                text(dicom, writer);
                writer.flush();
            }
            out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            return fail(err, file, "no such file");
        } catch (AccessDeniedException e) {
            return fail(err, file, "permission denied");
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            return fail(err, file, reason + (isPart10(path) ? "" : " (no DICM prefix at byte 128: not a DICOM Part 10 file?)"));
        }
    }

    private static int fail(PrintStream err, String file, String reason) {
        err.println("dpacs dump: " + file + ": " + reason);
        return 1;
    }

    /** PS3.10 7.1: a 128-byte preamble and "DICM". */
    private static boolean isPart10(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && Arrays.equals(head, 128, 132, new byte[]{'D', 'I', 'C', 'M'}, 0, 4);
        } catch (IOException e) {
            return false;
        }
    }

    /** dcmdump's layout: the File Meta Information section when there is one, then the data set section. */
    static void text(DicomFile dicom, PrintWriter out) {
        out.println();
        if (!dicom.fileMetaInformation().isEmpty()) {
            out.println("# Dicom-File-Format");
            out.println();
            out.println("# Dicom-Meta-Information-Header");
            out.println("# Used TransferSyntax: " + TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.name());
            new DumpPrinter(out, true).dataset(dicom.fileMetaInformation(), 0);
            out.println();
        }
        TransferSyntax ts = dicom.parse().transferSyntax();
        out.println("# Dicom-Data-Set");
        out.println("# Used TransferSyntax: " + ts.name());
        new DumpPrinter(out, ts.explicitVr()).dataset(dicom.dataset(), 0);
    }
}
