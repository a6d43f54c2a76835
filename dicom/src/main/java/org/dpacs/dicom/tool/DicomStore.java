package org.dpacs.dicom.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dpacs.dicom.net.assoc.Association;
import org.dpacs.dicom.net.assoc.AssociationRequestor;
import org.dpacs.dicom.net.dimse.Command;
import org.dpacs.dicom.net.dimse.StoreScu;

/**
 * {@code dpacs store [--aet CALLING] [--aec CALLED] HOST PORT FILE...}: sends Part 10 files (directories are
 * walked) with C-STORE over one association, each in its own transfer syntax, as it is (no conversion). Prints one
 * line per file; exit code 0 when every file was stored (warnings included), 1 when any failed or could not be
 * read, 2 on a usage error.
 */
final class DicomStore {
    static final String USAGE = """
            usage: dpacs store [--aet CALLING] [--aec CALLED] HOST PORT FILE|DIR...
              --aet CALLING   our (calling) AE title (default DPACS_SCU)
              --aec CALLED    the peer's (called) AE title (default DPACS)
            Sends each file as it is stored (its own transfer syntax) over one association.
            """;

    private DicomStore() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String calling = "DPACS_SCU";
        String called = "DPACS";
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--aet", "--aec" -> {
                    if (i + 1 >= args.length || !validAe(args[i + 1])) {
                        return usage(err, args[i] + " needs an AE title (1 to 16 characters, no backslash)");
                    }
                    if (args[i].equals("--aet")) {
                        calling = args[++i];
                    } else {
                        called = args[++i];
                    }
                }
                default -> {
                    if (args[i].startsWith("--") && positional.isEmpty()) {
                        return usage(err, "unknown option " + args[i]);
                    }
                    positional.add(args[i]);
                }
            }
        }
        if (positional.size() < 3) {
            return usage(err, "HOST, PORT and at least one FILE are required");
        }
        int port;
        try {
            port = Integer.parseInt(positional.get(1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            return usage(err, "PORT must be 1 to 65535, not '" + positional.get(1) + "'");
        }
        int failed = 0;
        List<Path> files = new ArrayList<>();
        for (String name : positional.subList(2, positional.size())) {
            Path p = Path.of(name);
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    err.println("dpacs store: " + p + ": " + e.getMessage());
                    failed++;
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                err.println("dpacs store: " + p + ": no such file");
                failed++;
            }
        }
        List<Path> sendable = new ArrayList<>();
        for (Path f : files) {
            try {
                StoreScu.describe(f);
                sendable.add(f);
            } catch (IOException | RuntimeException e) {
                err.println("dpacs store: " + f + ": not sent: " + e.getMessage());
                failed++;
            }
        }
        if (sendable.isEmpty()) {
            err.println("dpacs store: nothing to send");
            return 1;
        }
        InetSocketAddress address = new InetSocketAddress(positional.get(0), port);
        try (Association a = AssociationRequestor.open(address, calling, called, StoreScu.contextsFor(sendable),
                AssociationRequestor.Options.DEFAULT)) {
            StoreScu scu = new StoreScu(a);
            int stored = 0;
            for (Path f : sendable) {
                Command rsp;
                try {
                    rsp = scu.store(f);
                } catch (IOException e) {
                    if (a.isClosed()) {
                        throw e;
                    }
                    err.println("dpacs store: " + f + ": not sent: " + e.getMessage());
                    failed++;
                    continue;
                }
                int status = rsp.status();
                String comment = rsp.errorComment().map(c -> ": " + c).orElse("");
                if (status == 0) {
                    out.println(f + ": stored");
                    stored++;
                } else if (isWarning(status)) {
                    out.printf("%s: stored with warning %04X%s%n", f, status, comment);
                    stored++;
                } else {
                    err.printf("dpacs store: %s: failed %04X%s%n", f, status, comment);
                    failed++;
                }
            }
            a.release();
            out.printf("%d stored, %d failed%n", stored, failed);
        } catch (IOException | RuntimeException e) {
            err.println("dpacs store: " + address + ": " + e);
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    /** PS3.7 C.4.2.1.4: B000-B0FF (as B000, B006, B007) are C-STORE warnings, as are 0107 and 0116 (Annex C). */
    private static boolean isWarning(int status) {
        return (status & 0xF000) == 0xB000 || status == 0x0107 || status == 0x0116;
    }

    private static boolean validAe(String ae) {
        return !ae.isBlank() && ae.length() <= 16 && ae.indexOf('\\') < 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("dpacs store: " + problem);
        err.print(USAGE);
        return 2;
    }
}
