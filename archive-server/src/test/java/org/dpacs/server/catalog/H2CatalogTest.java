package org.dpacs.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2CatalogTest {

    @TempDir
    Path dir;

    private H2Catalog catalog;

    @BeforeEach
    void open() {
        catalog = new H2Catalog(file());
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private Path file() {
        return dir.resolve("catalog");
    }

    @Test
    void anEmptyCatalogHasNothing() {
        assertThat(catalog.count()).isZero();
        assertThat(catalog.maxSeq()).isZero();
        assertThat(catalog.instance("1.2.3")).isEmpty();
        assertThat(catalog.since(0, 10)).isEmpty();
        assertThat(catalog.study("1")).isEmpty();
        assertThat(catalog.commit(List.of())).isEmpty();
    }

    @Test
    void commitReturnsRecordsWithIncreasingSeqsInBatchOrder() {
        List<InstanceRecord> batch = List.of(rec("1", "1.1", "1.1.3"), rec("1", "1.1", "1.1.1"),
                rec("1", "1.2", "1.2.1"));
        List<InstanceRecord> stored = catalog.commit(batch);
        assertThat(stored).extracting(InstanceRecord::sopInstanceUid).containsExactly("1.1.3", "1.1.1", "1.2.1");
        assertThat(stored).extracting(InstanceRecord::seq).isSorted().doesNotHaveDuplicates()
                .allSatisfy(seq -> assertThat(seq).isPositive());
        for (int i = 0; i < batch.size(); i++) {
            assertThat(stored.get(i).withSeq(0)).isEqualTo(batch.get(i));
            assertThat(catalog.instance(batch.get(i).sopInstanceUid())).contains(stored.get(i));
        }
        List<InstanceRecord> next = catalog.commit(List.of(rec("2", "2.1", "2.1.1")));
        assertThat(next.get(0).seq()).isGreaterThan(stored.get(2).seq());
        assertThat(catalog.maxSeq()).isEqualTo(next.get(0).seq());
        assertThat(catalog.count()).isEqualTo(4);
    }

    @Test
    void upsertReplacesByTheSopInstanceUid() {
        InstanceRecord first = catalog.commit(List.of(rec("1", "1.1", "1.1.1"))).get(0);
        InstanceRecord changed = new InstanceRecord(0, "1", "1.1", "1.1.1", "1.2.840.10008.5.1.4.1.1.4",
                "1.2.840.10008.1.2.4.50", "1/1.1/1.1.1.v2", 999, "ab".repeat(32), first.storedAt().plusSeconds(5));
        InstanceRecord second = catalog.commit(List.of(changed)).get(0);
        assertThat(second.seq()).isGreaterThan(first.seq());
        assertThat(catalog.count()).isEqualTo(1);
        assertThat(catalog.instance("1.1.1")).contains(second);
        assertThat(second.objectKey()).isEqualTo("1/1.1/1.1.1.v2");
        // The old seq is gone: an index catching up from 0 sees the instance once, at its new seq.
        assertThat(catalog.since(0, 10)).containsExactly(second);
    }

    @Test
    void sinceReturnsAscendingSeqsUpToTheLimit() {
        List<InstanceRecord> all = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            List<InstanceRecord> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batch.add(rec("1", "1." + b, "1." + b + "." + i));
            }
            all.addAll(catalog.commit(batch));
        }
        assertThat(catalog.since(0, 100)).containsExactlyElementsOf(all);
        assertThat(catalog.since(0, 3)).containsExactlyElementsOf(all.subList(0, 3));
        long mid = all.get(9).seq();
        assertThat(catalog.since(mid, 5)).containsExactlyElementsOf(all.subList(10, 15));
        assertThat(catalog.since(catalog.maxSeq(), 5)).isEmpty();
        assertThat(catalog.since(0, 0)).isEmpty();
        assertThatThrownBy(() -> catalog.since(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void studyIsOrderedBySeriesThenSeqAndSeriesBySeq() {
        List<InstanceRecord> stored = catalog.commit(List.of(rec("9", "9.2", "9.2.1"), rec("9", "9.1", "9.1.2"),
                rec("8", "8.1", "8.1.1"), rec("9", "9.1", "9.1.1"), rec("9", "9.2", "9.2.0")));
        InstanceRecord s92a = stored.get(0);
        InstanceRecord s91b = stored.get(1);
        InstanceRecord s91a = stored.get(3);
        InstanceRecord s92b = stored.get(4);
        assertThat(catalog.study("9")).containsExactly(s91b, s91a, s92a, s92b);
        assertThat(catalog.series("9", "9.2")).containsExactly(s92a, s92b);
        assertThat(catalog.series("8", "9.2")).isEmpty();
        assertThat(catalog.study("8")).containsExactly(stored.get(2));
    }

    @Test
    void reopeningKeepsDataAndNeverReusesASeq() {
        List<InstanceRecord> stored = catalog.commit(List.of(rec("1", "1.1", "1.1.1"), rec("1", "1.1", "1.1.2")));
        catalog.close();
        catalog = new H2Catalog(file());
        assertThat(catalog.since(0, 10)).containsExactlyElementsOf(stored);
        assertThat(catalog.maxSeq()).isEqualTo(stored.get(1).seq());
        InstanceRecord next = catalog.commit(List.of(rec("1", "1.1", "1.1.3"))).get(0);
        assertThat(next.seq()).isGreaterThan(stored.get(1).seq());
    }

    @Test
    void aSequenceBehindTheStoredSeqsIsMovedPastThem() throws SQLException {
        List<InstanceRecord> stored = catalog.commit(List.of(rec("1", "1.1", "1.1.1"), rec("1", "1.1", "1.1.2")));
        catalog.close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath(), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("ALTER SEQUENCE instance_seq RESTART WITH 1");
        }
        catalog = new H2Catalog(file());
        assertThat(catalog.commit(List.of(rec("1", "1.1", "1.1.3"))).get(0).seq())
                .isGreaterThan(stored.get(1).seq());
    }

    @Test
    void readersRunWhileCommitsAreInProgress() throws Exception {
        int batches = 60;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int b = 0; b < batches; b++) {
                    List<InstanceRecord> batch = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        batch.add(rec("5", "5." + (b % 4), "5." + b + "." + i));
                    }
                    catalog.commit(batch);
                }
                done.set(true);
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    long lastMax = 0;
                    do {
                        long max = catalog.maxSeq();
                        assertThat(max).isGreaterThanOrEqualTo(lastMax);
                        lastMax = max;
                        List<InstanceRecord> seen = catalog.since(0, 100_000);
                        // Batches are atomic: a reader sees whole batches of 16, never part of one.
                        assertThat(seen.size() % 16).isZero();
                        assertThat(seen).extracting(InstanceRecord::seq).isSorted();
                        catalog.instance("5.0.0");
                        catalog.series("5", "5.1");
                        reads++;
                    } while (!done.get());
                    return reads;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> r : readers) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(catalog.count()).isEqualTo(batches * 16L);
    }

    @Test
    void sqlFailuresBecomeProcessingFailuresNamingTheOperation() {
        InstanceRecord tooLong = rec("1", "1.1", "9".repeat(65));
        assertThatThrownBy(() -> catalog.commit(List.of(tooLong)))
                .isInstanceOfSatisfying(DpacsException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.PROCESSING_FAILURE))
                .hasMessageContaining("commit a batch of 1 instance record")
                .hasCauseInstanceOf(SQLException.class);
        // The failed batch left nothing behind and the writer still works.
        assertThat(catalog.count()).isZero();
        assertThat(catalog.commit(List.of(rec("1", "1.1", "1.1.1")))).hasSize(1);
    }

    @Test
    void rejectsIncompleteRecords() {
        InstanceRecord noKey = new InstanceRecord(0, "1", "1.1", "1.1.1", "c", "t", null, 1, "s",
                Instant.now());
        assertThatThrownBy(() -> catalog.commit(List.of(noKey))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("objectKey");
    }

    @Test
    void commitsReachTheOsBeforeReturning() throws SQLException {
        // WRITE_DELAY=0 is what makes a returned commit survive kill -9 (the crash test proves it end to end).
        catalog.close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath()
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
        catalog = new H2Catalog(file());
    }

    @Test
    void refusesASchemaNewerThanItKnows() throws SQLException {
        catalog.close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath(), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = " + (CatalogSchema.VERSION + 1));
        }
        assertThatThrownBy(() -> new H2Catalog(file())).isInstanceOf(DpacsException.class)
                .hasMessageContaining("newer than the " + CatalogSchema.VERSION);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath(), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = " + CatalogSchema.VERSION);
        }
        catalog = new H2Catalog(file());
    }

    @Test
    void aClosedCatalogRefusesWork() {
        catalog.close();
        assertThatThrownBy(() -> catalog.count()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> catalog.commit(List.of(rec("1", "1", "1")))).isInstanceOf(IllegalStateException.class);
        catalog.close();
    }

    @Test
    void worksWithoutFsyncToo() {
        catalog.close();
        catalog = new H2Catalog(file(), H2Catalog.Durability.PROCESS_CRASH);
        assertThat(catalog.commit(List.of(rec("1", "1.1", "1.1.1")))).hasSize(1);
        assertThat(catalog.count()).isEqualTo(1);
    }

    static InstanceRecord rec(String study, String series, String sop) {
        // The column keeps microseconds; a record made with them compares equal to what is read back.
        return new InstanceRecord(0, study, series, sop, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1",
                study + "/" + series + "/" + sop, sop.length() * 1000L, "0".repeat(64),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }
}
