package org.dpacs.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.DicomFile;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.DicomWriter;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;
import org.dpacs.server.app.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, "acknowledged means durable" (DESIGN.md, Contracts): the server is killed with SIGKILL in the middle of a
 * concurrent STOW-RS load, restarted on the same data directory, and then every instance it acknowledged must be
 * retrievable (WADO-RS, byte for byte) and queryable (QIDO-RS), and nothing it serves or lists may be a partial or
 * foreign object. Requests in flight at the kill got no answer: such an instance may or may not be there, but if it
 * is, it must be whole and must be listed too (the index is rebuilt from the catalog), and storing it again, as a
 * client would after a dropped connection, must succeed.
 *
 * <p>The server runs as a child JVM ({@link Main}, configured through DPACS_* variables) because only a process can
 * be killed without running a single line of its shutdown code. Several kill/restart cycles hit different moments of
 * the load; the moments are drawn from a seed printed at the start ({@code -Ddpacs.crash.seed=N} replays the plan;
 * thread interleaving cannot be replayed). Instances are generated here, with a pixel pattern derived from their SOP
 * Instance UID, so what comes back can be compared with what was sent without keeping it in memory.
 */
class CrashRecoveryIT {

    private static final String LOG_PREFIX = "[CrashRecoveryIT] ";
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final Pattern READY = Pattern.compile("serving DICOMweb at (http://\\S+/dicomweb)");
    /** Log lines of a restart worth printing: the server's own warnings and errors, and what it recovered. */
    private static final Pattern RECOVERY_LOG = Pattern.compile(
            "(WARN|ERROR) +\\[.*\\] o\\.d\\.|Removed \\d+ unfinished|Index is behind|Indexed \\d+ instances in");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** Client threads storing at once: enough that several requests (and group commits) are in flight at the kill. */
    private static final int CLIENTS = 6;
    /**
     * When each cycle's kill lands: a window of ms, counted from the first acknowledgement of the cycle (the load is
     * flowing, however slow the machine or cold the JVM) or from the first request (the server's very first stores:
     * new directories, first group commits).
     */
    private record KillPlan(long fromMs, long toMs, boolean afterFirstAck) {
        String describe(long ms) {
            return ms + " ms after the " + (afterFirstAck ? "first acknowledgement" : "first request");
        }
    }

    private static final List<KillPlan> KILLS = List.of(
            new KillPlan(300, 800, true), new KillPlan(1500, 2500, true), new KillPlan(100, 400, false));
    /** QIDO page size; the server caps limit at dpacs.qido.max.limit (default 1000) and says so in a Warning. */
    private static final int QIDO_PAGE = 1000;

    // Tags this generator sets beyond those Tag names.
    private static final int InstanceNumber = 0x00200013;
    private static final int PhotometricInterpretation = 0x00280004;
    private static final int BitsStored = 0x00280101;
    private static final int HighBit = 0x00280102;

    @TempDir
    Path work;

    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void killServers() {
        for (Server s : servers) {
            s.kill();
        }
    }

    @Test
    void everyAcknowledgedInstanceSurvivesKill9AndNoPartialObjectIsServed() throws Exception {
        assumeTrue(System.getProperty(DicomWebTarget.URL_PROPERTY, "").isBlank(),
                "kills the server it tests, so it only runs against one of its own, not -Ddpacs.url");
        long seed = Long.getLong("dpacs.crash.seed", System.nanoTime());
        System.out.println(LOG_PREFIX + "seed " + seed + " (replay the kill moments with -Ddpacs.crash.seed=" + seed + ")");
        SplittableRandom plan = new SplittableRandom(seed);
        Path data = work.resolve("data");
        Ledger ledger = new Ledger();
        long loadAcked = 0;

        Server server = start(data);
        store(server, ledger, List.of(ledger.newInstance(newSeries(), 0, plan)), "warm-up");
        for (int cycle = 1; cycle <= KILLS.size(); cycle++) {
            KillPlan kill = KILLS.get(cycle - 1);
            long killAfter = plan.nextLong(kill.fromMs(), kill.toMs());
            String when = kill.describe(killAfter);
            int ackedBefore = ledger.acked.size();
            int unknownBefore = ledger.unknown.size();
            long sentBefore = ledger.sent.size();
            loadAndKill(server, ledger, cycle, kill, killAfter, plan.split());
            loadAcked += ledger.acked.size() - ackedBefore;
            System.out.printf("%scycle %d: killed %s; %d instances sent, %d acknowledged, %d in flight%n",
                    LOG_PREFIX, cycle, when, ledger.sent.size() - sentBefore, ledger.acked.size() - ackedBefore,
                    ledger.unknown.size() - unknownBefore);

            server = start(data);
            printRecovery(server);
            verify(server, ledger, "after kill " + cycle + " (" + when + ", seed " + seed + ")");
            retryUnknown(server, ledger, cycle);
        }
        // The retried instances of the last cycle are checked like the rest, without another crash in between.
        verify(server, ledger, "after the last retries (seed " + seed + ")");

        assertThat(ledger.problems).as("seed %d: answers during the load", seed).isEmpty();
        assertThat(loadAcked).as("seed %d: instances acknowledged during the loads (else nothing was tested)", seed)
                .isPositive();
        assertThat(ledger.everUnknown).as("seed %d: instances in flight at a kill (else no kill hit a store)", seed)
                .isPositive();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The load

    /** Runs {@link #CLIENTS} storing threads and a reader against {@code server} and kills it as {@code kill} says. */
    private void loadAndKill(Server server, Ledger ledger, int cycle, KillPlan kill, long killAfterMs,
                             SplittableRandom random) throws Exception {
        // New studies and series each cycle, so the kill can also land while their directories are being created,
        // plus one series of an earlier cycle, so objects also land next to ones that survived a crash.
        List<String[]> series = new ArrayList<>();
        for (int study = 0; study < 3; study++) {
            String studyUid = Corpus.randomUid();
            series.add(new String[] {studyUid, Corpus.randomUid()});
            series.add(new String[] {studyUid, Corpus.randomUid()});
        }
        ledger.sent.values().stream().findAny().ifPresent(i -> series.add(new String[] {i.study(), i.series()}));

        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch firstAck = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            SplittableRandom r = random.split();
            clients.add(Thread.ofPlatform().daemon().name("crash-client-" + cycle + "-" + c).start(() -> {
                while (!killed.get()) {
                    // Mostly one instance per request, so an answer acknowledges exactly one; some requests carry
                    // three, so a kill can also fall between the parts of one request.
                    int n = r.nextInt(4) == 0 ? 3 : 1;
                    List<Instance> batch = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        batch.add(ledger.newInstance(series.get(r.nextInt(series.size())), cycle, r));
                    }
                    if (storeUnderLoad(server, ledger, batch, killed, cycle)) {
                        firstAck.countDown();
                    }
                }
            }));
        }
        // A reader retrieves instances just sent, most still being written or committed: while the server runs too,
        // an object is either absent (404) or whole, never served half-written.
        SplittableRandom readerRandom = random.split();
        AtomicInteger reads = new AtomicInteger();
        clients.add(Thread.ofPlatform().daemon().name("crash-reader-" + cycle).start(() -> {
            while (!killed.get()) {
                Outcome o = retrieve(server, ledger.recent(readerRandom));
                reads.incrementAndGet();
                if (o.problem() != null && !killed.get()) {
                    ledger.problems.add("cycle " + cycle + ", during the load: " + o.problem());
                }
            }
        }));
        try {
            if (kill.afterFirstAck()) {
                assertThat(firstAck.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                        .as("cycle %d: a store acknowledged within %s; server log:%n%s", cycle, START_TIMEOUT,
                                server.logTail(40))
                        .isTrue();
            }
            // The delay is the experiment (when the kill lands), not a wait for something to happen.
            Thread.sleep(killAfterMs);
        } finally {
            // Also when the wait above failed: no client may go on storing into a dead server.
            killed.set(true);
            server.kill();
            for (Thread t : clients) {
                assertThat(t.join(Duration.ofSeconds(90))).as("client %s ended after the kill", t.getName()).isTrue();
            }
        }
        System.out.printf("%scycle %d: %d retrieves of just-sent instances during the load%n", LOG_PREFIX, cycle,
                reads.get());
    }

    /**
     * One STOW-RS request of the load: acknowledged, refused (a problem: the instances are valid) or unanswered.
     * Returns whether anything was acknowledged.
     */
    private boolean storeUnderLoad(Server server, Ledger ledger, List<Instance> batch, AtomicBoolean killed,
                                   int cycle) {
        StoreResponse r;
        try {
            r = server.stow(batch);
        } catch (IOException e) {
            // No answer: the outcome is unknown. Before the kill that is also a problem (the server dropped a request).
            batch.forEach(i -> ledger.markUnknown(i.sop()));
            if (!killed.get()) {
                ledger.problems.add("cycle " + cycle + ": a store failed before the kill: " + e);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        boolean acked = false;
        for (Instance i : batch) {
            if ((r.status() == 200 || r.status() == 202) && r.referenced(i.sop()).isPresent()) {
                ledger.acked.add(i.sop());
                acked = true;
            } else {
                ledger.problems.add("cycle " + cycle + ": " + i.sop() + " not acknowledged: " + r.describe());
                ledger.markUnknown(i.sop());
            }
        }
        return acked;
    }

    /** Stores {@code batch} outside the load: every instance must be acknowledged. */
    private static void store(Server server, Ledger ledger, List<Instance> batch, String what) throws Exception {
        StoreResponse r = server.stow(batch);
        for (Instance i : batch) {
            assertThat(r.status()).as("%s: %s", what, r.describe()).isIn(200, 202);
            assertThat(r.referenced(i.sop())).as("%s: %s in ReferencedSOPSequence of %s", what, i.sop(), r.describe())
                    .isPresent();
            ledger.acked.add(i.sop());
            ledger.unknown.remove(i.sop());
        }
    }

    /**
     * Stores again what was in flight at the kill, as a client does after a dropped connection: whether or not the
     * first attempt got as far as the catalog, the repeat must be acknowledged (stored, or an identical duplicate).
     */
    private void retryUnknown(Server server, Ledger ledger, int cycle) throws Exception {
        List<String> retry = List.copyOf(ledger.unknown);
        for (String sop : retry) {
            store(server, ledger, List.of(ledger.sent.get(sop)), "retry after kill " + cycle);
        }
        System.out.printf("%scycle %d: %d unanswered instances stored again and acknowledged%n", LOG_PREFIX, cycle,
                retry.size());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The checks after a restart

    /**
     * Everything QIDO lists and everything ever sent is retrieved. Acknowledged instances must be listed and whole;
     * listed instances must be ones we sent, under their own study and series, and whole; unanswered ones may be
     * absent, but if retrievable they must be whole and listed.
     */
    private void verify(Server server, Ledger ledger, String when) throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, String> listed = listInstances(server, problems);
        for (Map.Entry<String, String> e : listed.entrySet()) {
            Instance sent = ledger.sent.get(e.getKey());
            if (sent == null) {
                problems.add("QIDO lists " + e.getValue() + "/" + e.getKey() + ", which was never sent");
            } else if (!e.getValue().equals(sent.study() + "/" + sent.series())) {
                problems.add("QIDO lists " + e.getKey() + " under " + e.getValue() + ", but it was sent in "
                        + sent.study() + "/" + sent.series());
            }
        }
        Set<String> acked = Set.copyOf(ledger.acked);
        for (String sop : acked) {
            if (!listed.containsKey(sop)) {
                problems.add("acknowledged " + sop + " is not listed by QIDO");
            }
        }

        Map<String, Future<Outcome>> outcomes = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Instance i : ledger.sent.values()) {
                outcomes.put(i.sop(), pool.submit(() -> retrieve(server, i)));
            }
            int complete = 0;
            for (Map.Entry<String, Future<Outcome>> e : outcomes.entrySet()) {
                String sop = e.getKey();
                Outcome o = e.getValue().get(5, TimeUnit.MINUTES);
                if (o.problem() != null) {
                    problems.add(o.problem());
                    continue;
                }
                if (o.complete()) {
                    complete++;
                    if (!listed.containsKey(sop)) {
                        problems.add(sop + " (" + (acked.contains(sop) ? "acknowledged" : "unanswered")
                                + ") is retrievable but QIDO does not list it; the index missed a catalog record");
                    }
                } else if (acked.contains(sop)) {
                    problems.add("acknowledged " + sop + " is gone: WADO-RS answers 404");
                } else if (listed.containsKey(sop)) {
                    problems.add(sop + " is listed by QIDO but WADO-RS answers 404");
                }
            }
            System.out.printf("%s%s: %d acknowledged, %d listed by QIDO, %d retrievable of %d sent, %d problems%n",
                    LOG_PREFIX, when, acked.size(), listed.size(), complete, outcomes.size(), problems.size());
        } finally {
            pool.shutdownNow();
        }
        if (!problems.isEmpty()) {
            fail(when + ": " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(40, problems.size())))
                    + "\nserver log " + server.log + ":\n" + server.logTail(40));
        }
    }

    /** What a WADO-RS retrieve of one instance gave: whole, absent (404), or a problem described. */
    private record Outcome(boolean complete, String problem) {
        static final Outcome COMPLETE = new Outcome(true, null);
        static final Outcome ABSENT = new Outcome(false, null);

        static Outcome problem(String p) {
            return new Outcome(false, p);
        }
    }

    /** WADO-RS of one instance (PS3.18 10.4), compared element by element and byte by byte with what was sent. */
    private static Outcome retrieve(Server server, Instance i) {
        String what = "GET " + i.path();
        HttpResponse<byte[]> r;
        try {
            r = server.get(i.path(), Accept.INSTANCES);
        } catch (IOException e) {
            return Outcome.problem(what + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.problem(what + " interrupted");
        }
        if (r.statusCode() == 404) {
            return Outcome.ABSENT;
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() != 200) {
            return Outcome.problem(what + " -> " + r.statusCode() + " " + Retrieved.shorten(text(r.body())));
        }
        List<Multipart.Part> parts;
        try {
            parts = Multipart.parse(type, r.body());
        } catch (IllegalArgumentException e) {
            return Outcome.problem(what + " -> 200 " + type + " that cannot be split: " + e.getMessage());
        }
        if (parts.size() != 1) {
            return Outcome.problem(what + " -> " + parts.size() + " parts, expected 1");
        }
        DicomFile file;
        try {
            file = DicomReader.read(new ByteArrayInputStream(parts.get(0).body()), i.sop(), ReadOptions.EVERYTHING);
        } catch (IOException | RuntimeException e) {
            return Outcome.problem(what + " -> a partial or unreadable object of " + parts.get(0).body().length
                    + " bytes: " + e.getMessage());
        }
        Attributes expected = i.dataset();
        if (!file.dataset().equals(expected)) {
            return Outcome.problem(what + " -> an object that differs from the one sent: " + difference(expected,
                    file.dataset()));
        }
        return Outcome.COMPLETE;
    }

    /** The first element that differs, for a failure message: a tag and lengths, or the first differing pixel byte. */
    private static String difference(Attributes expected, Attributes actual) {
        byte[] pe = expected.bytes(Tag.PixelData).orElse(new byte[0]);
        byte[] pa = actual.bytes(Tag.PixelData).orElse(new byte[0]);
        if (pa.length != pe.length) {
            return "Pixel Data of " + pa.length + " bytes, sent " + pe.length;
        }
        for (int k = 0; k < pe.length; k++) {
            if (pe[k] != pa[k]) {
                return "Pixel Data differs from byte " + k;
            }
        }
        for (int k = 0; k < expected.size(); k++) {
            int tag = expected.tagAt(k);
            if (!actual.contains(tag)) {
                return Tag.toString(tag) + " is missing";
            }
        }
        return actual.size() + " elements, sent " + expected.size() + "; received:\n" + actual;
    }

    /**
     * Every instance QIDO-RS lists, found top-down (studies, their series, their instances) so nothing the index
     * holds is missed: SOP Instance UID to "study/series".
     */
    private static Map<String, String> listInstances(Server server, List<String> problems) throws Exception {
        Map<String, String> listed = new LinkedHashMap<>();
        for (JsonNode study : server.qidoAll("studies", problems)) {
            String studyUid = DicomJson.string(study, Tags.StudyInstanceUID).orElse("?");
            for (JsonNode series : server.qidoAll("studies/" + studyUid + "/series", problems)) {
                String seriesUid = DicomJson.string(series, Tags.SeriesInstanceUID).orElse("?");
                String path = "studies/" + studyUid + "/series/" + seriesUid + "/instances";
                for (JsonNode instance : server.qidoAll(path, problems)) {
                    String sop = DicomJson.string(instance, Tags.SOPInstanceUID).orElse("?");
                    if (listed.put(sop, studyUid + "/" + seriesUid) != null) {
                        problems.add("QIDO lists " + sop + " twice");
                    }
                }
            }
        }
        return listed;
    }

    private static void printRecovery(Server server) {
        // What the server did about the crash, for the record: removed unfinished writes, index catch-up, errors.
        for (String line : server.logLines()) {
            if (RECOVERY_LOG.matcher(line).find()) {
                System.out.println(LOG_PREFIX + "  restart: " + line);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What was sent

    /** A new study and series: {study UID, series UID}. */
    private static String[] newSeries() {
        return new String[] {Corpus.randomUid(), Corpus.randomUid()};
    }

    /** Everything sent, by SOP Instance UID, and what became of it; shared by the client threads. */
    private static final class Ledger {
        final Map<String, Instance> sent = new ConcurrentHashMap<>();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        /** Sent without an answer (in flight at a kill) and not yet stored again. */
        final Set<String> unknown = ConcurrentHashMap.newKeySet();
        final Queue<String> problems = new ConcurrentLinkedQueue<>();
        /** Sent instances in the order they were made, for the reader's pick of the most recent. */
        private final List<Instance> order = new ArrayList<>();
        volatile int everUnknown;

        Instance newInstance(String[] studySeries, int cycle, SplittableRandom random) {
            // Every eighth instance is 512x512 (512 KiB): a longer body, so a kill can land in the middle of one.
            int size = random.nextInt(8) == 0 ? 512 : 128;
            Instance i = new Instance(studySeries[0], studySeries[1], Corpus.randomUid(), cycle, size);
            sent.put(i.sop(), i);
            synchronized (order) {
                order.add(i);
            }
            return i;
        }

        /** One of the last {@link #CLIENTS} * 3 instances made (there is always one: the warm-up instance). */
        Instance recent(SplittableRandom random) {
            synchronized (order) {
                return order.get(order.size() - 1 - random.nextInt(Math.min(order.size(), CLIENTS * 3)));
            }
        }

        synchronized void markUnknown(String sop) {
            if (unknown.add(sop)) {
                everUnknown++;
            }
        }
    }

    /** One generated CT image; its pixels are derived from its SOP Instance UID, so it can be rebuilt to compare. */
    private record Instance(String study, String series, String sop, int cycle, int size) {

        String path() {
            return "studies/" + study + "/series/" + series + "/instances/" + sop;
        }

        Attributes dataset() {
            return new Attributes.Builder()
                    .setString(Tag.SOPClassUID, Vr.UI, CT_IMAGE_STORAGE)
                    .setString(Tag.SOPInstanceUID, Vr.UI, sop)
                    .setString(Tag.StudyDate, Vr.DA, "20250301")
                    .setString(Tag.Modality, Vr.CS, "CT")
                    .setString(Tag.PatientName, Vr.PN, "CRASH^RECOVERY")
                    .setString(Tag.PatientID, Vr.LO, "CRASH-" + cycle)
                    .setString(Tag.StudyInstanceUID, Vr.UI, study)
                    .setString(Tag.SeriesInstanceUID, Vr.UI, series)
                    .setString(InstanceNumber, Vr.IS, Integer.toString(cycle))
                    .setInts(Tag.SamplesPerPixel, Vr.US, 1)
                    .setString(PhotometricInterpretation, Vr.CS, "MONOCHROME2")
                    .setInts(Tag.Rows, Vr.US, size)
                    .setInts(Tag.Columns, Vr.US, size)
                    .setInts(Tag.BitsAllocated, Vr.US, 16)
                    .setInts(BitsStored, Vr.US, 16)
                    .setInts(HighBit, Vr.US, 15)
                    .setInts(Tag.PixelRepresentation, Vr.US, 0)
                    .set(Tag.PixelData, Vr.OW, pixels())
                    .build();
        }

        /** Noise seeded by the UID: a truncated or mixed-up object cannot match by accident. */
        byte[] pixels() {
            UUID u = UUID.nameUUIDFromBytes(sop.getBytes(StandardCharsets.US_ASCII));
            byte[] b = new byte[size * size * 2];
            new SplittableRandom(u.getMostSignificantBits() ^ u.getLeastSignificantBits()).nextBytes(b);
            return b;
        }

        byte[] file() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(size * size * 2 + 1024);
            try {
                DicomWriter.writeFile(out, dataset(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.DEFAULT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The server process

    /**
     * Starts {@link Main} in a child JVM on {@code data} and waits for its "serving DICOMweb at" line. Port 0 lets the
     * server bind a free port itself (no window in which another process takes a port picked here); the line says
     * which.
     */
    private Server start(Path data) throws Exception {
        Path log = work.resolve("server-" + (servers.size() + 1) + ".log");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                // No dpacs.properties of the developer's: the variables below are the whole configuration.
                "-Ddpacs.config=" + work.resolve("none.properties"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("DPACS_"));
        env.put("DPACS_HTTP_HOST", "127.0.0.1");
        env.put("DPACS_HTTP_PORT", "0");
        env.put("DPACS_DIMSE_PORT", "0");
        env.put("DPACS_DATA_DIR", data.toString());
        // Checked against what was sent, UIDs included: stored as sent (de-identification has its own tests).
        env.put("DPACS_DEID_PROFILE", "off");
        Process process = pb.start();
        Server server = new Server(process, log);
        servers.add(server);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher m = READY.matcher(String.join("\n", server.logLines()));
            if (m.find()) {
                server.root = m.group(1);
                return server;
            }
            if (!process.isAlive()) {
                fail("the server exited with status " + process.exitValue() + " before serving; " + log + ":\n"
                        + server.logTail(60));
            }
            if (System.nanoTime() > deadline) {
                fail("the server did not serve within " + START_TIMEOUT + "; " + log + ":\n" + server.logTail(60));
            }
            // Polling the log for the ready line; the wait ends as soon as it appears.
            Thread.sleep(25);
        }
    }

    /** A child server process and an HTTP client of its own (no pooled connection outlives the process). */
    private static final class Server {
        final Process process;
        final Path log;
        final HttpClient http;
        volatile String root;

        Server(Process process, Path log) {
            this.process = process;
            this.log = log;
            // HTTP/1.1 and no retries of a POST: a dropped connection must surface as an exception, never be hidden.
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }

        /** STOW-RS (PS3.18 10.5): one application/dicom part per instance, answered in DICOM JSON. */
        StoreResponse stow(List<Instance> batch) throws IOException, InterruptedException {
            Multipart.Builder body = Multipart.related(Stow.APPLICATION_DICOM);
            batch.forEach(i -> body.part(Stow.APPLICATION_DICOM, i.file()));
            String url = root + "/studies";
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", body.contentType())
                    .header("Accept", Accept.DICOM_JSON)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.body())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String text = text(r.body());
            JsonNode json;
            try {
                json = text.isBlank() ? MissingNode.getInstance() : Pydicom.JSON.readTree(text);
            } catch (IOException e) {
                json = MissingNode.getInstance();
            }
            String what = "POST " + url + " with " + batch.stream().map(Instance::sop).toList();
            return new StoreResponse(what, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), text, json);
        }

        HttpResponse<byte[]> get(String relative, String accept) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(root + "/" + relative)).timeout(REQUEST_TIMEOUT)
                    .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        /** Every match of a QIDO-RS search (PS3.18 10.6), page by page (8.3.4.4 limit and offset). */
        List<JsonNode> qidoAll(String path, List<String> problems) throws IOException, InterruptedException {
            List<JsonNode> all = new ArrayList<>();
            for (int offset = 0; ; ) {
                String relative = path + "?limit=" + QIDO_PAGE + "&offset=" + offset;
                HttpResponse<byte[]> r = get(relative, Accept.DICOM_JSON);
                if (r.statusCode() == 204) {
                    return all;
                }
                if (r.statusCode() != 200) {
                    problems.add("GET " + relative + " -> " + r.statusCode() + " " + Retrieved.shorten(text(r.body())));
                    return all;
                }
                JsonNode page = Pydicom.JSON.readTree(r.body());
                page.forEach(all::add);
                boolean truncated = r.headers().allValues("Warning").stream()
                        .anyMatch(w -> w.contains("Additional results"));
                if (page.isEmpty() || (!truncated && page.size() < QIDO_PAGE)) {
                    return all;
                }
                offset += page.size();
            }
        }

        /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook, no flush, no close runs. */
        void kill() {
            process.destroyForcibly();
            try {
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("server process %d ended", process.pid()).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            http.shutdownNow();
        }

        List<String> logLines() {
            try {
                return List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
            } catch (IOException e) {
                return List.of("(log unreadable: " + e + ")");
            }
        }

        String logTail(int lines) {
            List<String> all = logLines();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
