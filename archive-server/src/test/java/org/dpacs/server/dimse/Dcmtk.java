package org.dpacs.server.dimse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs dcmtk's network tools (Debian package dcmtk) for the interop tests. */
final class Dcmtk {
    private Dcmtk() {
    }

    record Result(int exitCode, String output) {
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/echoscu")) && Files.isExecutable(Path.of("/usr/bin/storescu"));
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("Timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result echoscu(String calledAe, int port) throws IOException, InterruptedException {
        return run(List.of("echoscu", "-v", "-aet", "ECHOSCU", "-aec", calledAe, "127.0.0.1", String.valueOf(port)));
    }

    /**
     * Sends {@code files} over one association, proposing for each SOP class exactly the transfer syntax given
     * (a storescu association profile), so each file travels in its own encoding.
     */
    static Result storescu(int port, List<String[]> sopClassAndSyntax, List<Path> files, Path workDir)
            throws IOException, InterruptedException {
        return storescu("STORESCU", port, sopClassAndSyntax, files, workDir);
    }

    /** As {@link #storescu(int, List, List, Path)}, calling as {@code callingAe}. */
    static Result storescu(String callingAe, int port, List<String[]> sopClassAndSyntax, List<Path> files,
                           Path workDir) throws IOException, InterruptedException {
        StringBuilder ts = new StringBuilder("[[TransferSyntaxes]]\n");
        StringBuilder pcs = new StringBuilder("[[PresentationContexts]]\n[PC]\n");
        for (int i = 0; i < sopClassAndSyntax.size(); i++) {
            ts.append("[TS").append(i).append("]\nTransferSyntax1 = ").append(sopClassAndSyntax.get(i)[1]).append('\n');
            pcs.append("PresentationContext").append(i + 1).append(" = ").append(sopClassAndSyntax.get(i)[0])
                    .append("\\TS").append(i).append('\n');
        }
        Path cfg = Files.createTempFile(workDir, "storescu", ".cfg");
        Files.writeString(cfg, ts + "\n" + pcs + "\n[[Profiles]]\n[Own]\nPresentationContexts = PC\n");
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-nh", "-xf", cfg.toString(), "Own",
                "-aet", callingAe, "-aec", "DPACS", "127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return run(cmd);
    }
}
