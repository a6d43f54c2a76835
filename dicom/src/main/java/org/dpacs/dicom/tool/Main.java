package org.dpacs.dicom.tool;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The entry point of {@code scripts/dpacs}: {@code dpacs COMMAND [ARGS]}. Each command is a class of this package
 * with {@code static int run(String[] args, PrintStream out, PrintStream err)}; add a case to {@link #run} and a
 * line to {@link #USAGE} for a new one. Exit codes: 0 done, 1 the command failed, 2 usage error.
 */
public final class Main {
    static final String USAGE = """
            usage: dpacs COMMAND [ARGS]
            commands:
              dump [--json [--pretty]] FILE   print a DICOM file's attributes (dcmdump format) or its DICOM JSON
              store [--aet AE] [--aec AE] HOST PORT FILE|DIR...
                                              send files with C-STORE (as they are, one association)
              help                            print this text
            Run 'dpacs COMMAND --help' for a command's options.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command and returns its exit code; in-process callers (tests) pass their own streams. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "dump" -> DicomDump.run(rest, out, err);
            case "store" -> DicomStore.run(rest, out, err);
            case "help", "-h", "--help" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                err.println("dpacs: unknown command '" + args[0] + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }
}
