package org.dpacs.server.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link Catalog}: an H2 database file ({@code <file>.mv.db}). Durability: the URL sets
 * {@code WRITE_DELAY=0}, so H2 writes its store to the OS inside every COMMIT and a committed batch survives a
 * kill -9; with {@link Durability#POWER_LOSS} (the default) each commit also runs {@code CHECKPOINT SYNC}, an
 * fsync, so it survives a power loss too. Thread-safe: commits are serialised on one writer connection, reads
 * take pooled connections and never wait for the writer (H2's MVStore is multi-version, read committed).
 */
public final class H2Catalog implements Catalog {

    /** What a returned {@link #commit} survives. */
    public enum Durability {
        /** Written to the OS before commit returns: survives the process being killed, not a power loss. */
        PROCESS_CRASH,
        /** Also fsynced before commit returns: survives a power loss. */
        POWER_LOSS
    }

    private static final Logger LOG = LoggerFactory.getLogger(H2Catalog.class);

    private static final String COLUMNS = "seq, study_uid, series_uid, sop_uid, sop_class_uid, transfer_syntax_uid,"
            + " object_key, size, sha256, stored_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM instance";
    private static final String MERGE = "MERGE INTO instance (" + COLUMNS + ") KEY (sop_uid)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int MAX_READERS = 32;

    private final Path file;
    private final Durability durability;
    private final Connection writer;
    private final JdbcConnectionPool readers;
    /**
     * Serialises commits so that seq order is commit order: if two commits could interleave, a reader of
     * {@link #since} might see seq 6 committed before seq 5 and skip 5 for good.
     */
    private final ReentrantLock commitLock = new ReentrantLock();
    private volatile boolean closed;

    /** Opens (creating if needed) the catalog at {@code file}, durable against power loss. */
    public H2Catalog(Path file) {
        this(file, Durability.POWER_LOSS);
    }

    /** Opens (creating if needed) the catalog at {@code file} ({@code .mv.db} is appended by H2). */
    public H2Catalog(Path file, Durability durability) {
        this.file = file.toAbsolutePath().normalize();
        this.durability = Objects.requireNonNull(durability, "durability");
        String path = this.file.toString();
        if (path.indexOf(';') >= 0) {
            throw new IllegalArgumentException("catalog path must not contain ';' (it separates H2 URL settings): "
                    + path);
        }
        // WRITE_DELAY=0: H2 writes its store inside each COMMIT instead of up to 500 ms later from a background
        // thread. DB_CLOSE_ON_EXIT=FALSE: the server's lifecycle closes the catalog after the last commit,
        // not a JVM shutdown hook racing with it.
        String url = "jdbc:h2:file:" + path + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Connection c = null;
        try {
            c = DriverManager.getConnection(url, "sa", "");
            c.setAutoCommit(false);
            CatalogSchema.migrate(c, path);
            alignSequence(c);
            this.writer = c;
            this.readers = JdbcConnectionPool.create(url, "sa", "");
            this.readers.setMaxConnections(MAX_READERS);
        } catch (SQLException e) {
            closeQuietly(c);
            if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new DpacsException(FailureKind.PROCESSING_FAILURE, "catalog " + path + " is in use by another"
                        + " process (is another dPACS server using the same data directory?)", e);
            }
            throw failure("open " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        LOG.info("Catalog {} open: {} instance record(s), durability {}", path, count(), durability);
    }

    @Override
    public Optional<InstanceRecord> instance(String sopInstanceUid) {
        List<InstanceRecord> rows = query("read instance " + sopInstanceUid, SELECT + " WHERE sop_uid = ?",
                sopInstanceUid);
        return rows.stream().findFirst();
    }

    @Override
    public List<InstanceRecord> commit(List<InstanceRecord> batch) {
        ensureOpen();
        if (batch.isEmpty()) {
            return List.of();
        }
        batch.forEach(H2Catalog::requireComplete);
        String operation = "commit a batch of " + batch.size() + " instance record(s)";
        commitLock.lock();
        try {
            ensureOpen();
            long[] seqs = nextSeqs(batch.size());
            List<InstanceRecord> stored = new ArrayList<>(batch.size());
            try (PreparedStatement merge = writer.prepareStatement(MERGE)) {
                for (int i = 0; i < batch.size(); i++) {
                    InstanceRecord r = batch.get(i);
                    // TIMESTAMP(6): keep what the column keeps, so the returned record equals a later read.
                    Instant storedAt = r.storedAt().truncatedTo(ChronoUnit.MICROS);
                    InstanceRecord s = new InstanceRecord(seqs[i], r.studyInstanceUid(), r.seriesInstanceUid(),
                            r.sopInstanceUid(), r.sopClassUid(), r.transferSyntaxUid(), r.objectKey(), r.size(),
                            r.sha256(), storedAt);
                    bind(merge, s);
                    merge.addBatch();
                    stored.add(s);
                }
                merge.executeBatch();
            }
            writer.commit();
            if (durability == Durability.POWER_LOSS) {
                try (Statement s = writer.createStatement()) {
                    s.execute("CHECKPOINT SYNC");
                }
            }
            return List.copyOf(stored);
        } catch (SQLException e) {
            rollbackQuietly();
            throw failure(operation, e);
        } finally {
            commitLock.unlock();
        }
    }

    @Override
    public List<InstanceRecord> study(String studyInstanceUid) {
        return query("read study " + studyInstanceUid,
                SELECT + " WHERE study_uid = ? ORDER BY series_uid, seq", studyInstanceUid);
    }

    @Override
    public List<InstanceRecord> series(String studyInstanceUid, String seriesInstanceUid) {
        return query("read series " + seriesInstanceUid,
                SELECT + " WHERE study_uid = ? AND series_uid = ? ORDER BY seq", studyInstanceUid, seriesInstanceUid);
    }

    @Override
    public List<InstanceRecord> since(long afterSeq, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        return query("read records after seq " + afterSeq, SELECT + " WHERE seq > ? ORDER BY seq LIMIT ?",
                afterSeq, limit);
    }

    @Override
    public long maxSeq() {
        return scalar("read the highest seq", "SELECT COALESCE(MAX(seq), 0) FROM instance");
    }

    @Override
    public long count() {
        return scalar("count instance records", "SELECT COUNT(*) FROM instance");
    }

    private static final String HOLD_COLUMNS = "sop_uid, study_uid, series_uid, sop_class_uid, transfer_syntax_uid,"
            + " object_key, size, sha256, reason, origin, held_at";

    @Override
    public void hold(QuarantineRecord r) {
        write("hold " + r.sopInstanceUid() + " in quarantine", "MERGE INTO quarantine (" + HOLD_COLUMNS
                + ") KEY (sop_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.sopInstanceUid(),
                r.studyInstanceUid(), r.seriesInstanceUid(), r.sopClassUid(), r.transferSyntaxUid(), r.objectKey(),
                r.size(), r.sha256(), truncate(r.reason(), 2000), truncate(r.origin(), 1000),
                OffsetDateTime.ofInstant(r.heldAt(), ZoneOffset.UTC));
    }

    @Override
    public List<QuarantineRecord> held() {
        return query("list the quarantine", H2Catalog::holdRow, "SELECT " + HOLD_COLUMNS
                + " FROM quarantine ORDER BY held_at, sop_uid");
    }

    @Override
    public Optional<QuarantineRecord> held(String sopInstanceUid) {
        return query("read quarantined " + sopInstanceUid, H2Catalog::holdRow, "SELECT " + HOLD_COLUMNS
                + " FROM quarantine WHERE sop_uid = ?", sopInstanceUid).stream().findFirst();
    }

    @Override
    public boolean unhold(String sopInstanceUid) {
        return write("release " + sopInstanceUid + " from quarantine", "DELETE FROM quarantine WHERE sop_uid = ?",
                sopInstanceUid) > 0;
    }

    /** One statement in its own durable transaction, serialised with the commits; the number of rows changed. */
    private int write(String operation, String sql, Object... params) {
        ensureOpen();
        commitLock.lock();
        try (PreparedStatement ps = writer.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            int n = ps.executeUpdate();
            writer.commit();
            syncIfDurable();
            return n;
        } catch (SQLException e) {
            rollbackQuietly();
            throw failure(operation, e);
        } finally {
            commitLock.unlock();
        }
    }

    private static QuarantineRecord holdRow(ResultSet rs) throws SQLException {
        return new QuarantineRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getObject(11, OffsetDateTime.class).toInstant());
    }

    private void syncIfDurable() throws SQLException {
        if (durability == Durability.POWER_LOSS) {
            try (Statement s = writer.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** Waits for a commit in progress, then closes the database; H2 compacts the file briefly on close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            readers.dispose();
            writer.close();
            LOG.info("Catalog {} closed", file);
        } catch (SQLException e) {
            throw failure("close " + file, e);
        } finally {
            commitLock.unlock();
        }
    }

    /** {@code n} fresh seqs, ascending; the caller holds the commit lock. */
    private long[] nextSeqs(int n) throws SQLException {
        long[] seqs = new long[n];
        try (PreparedStatement ps = writer.prepareStatement(
                "SELECT NEXT VALUE FOR instance_seq FROM SYSTEM_RANGE(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < n; i++) {
                    rs.next();
                    seqs[i] = rs.getLong(1);
                }
            }
        }
        Arrays.sort(seqs);
        return seqs;
    }

    /**
     * Makes sure the sequence is past every stored seq. H2 persists the sequence ahead of the values it hands
     * out, so this should never fire; it is cheap insurance for the rule the index catch-up relies on: a new
     * record's seq is greater than every seq already committed.
     */
    private static void alignSequence(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COALESCE(MAX(seq), 0) FROM instance),"
                     + " (SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES"
                     + " WHERE SEQUENCE_SCHEMA = 'PUBLIC' AND SEQUENCE_NAME = 'INSTANCE_SEQ')")) {
            rs.next();
            long max = rs.getLong(1);
            long next = rs.getLong(2);
            if (next <= max) {
                LOG.warn("Catalog sequence would hand out {} but seq {} is stored; restarting it at {}",
                        next, max, max + 1);
                s.execute("ALTER SEQUENCE instance_seq RESTART WITH " + (max + 1));
                c.commit();
            }
        }
    }

    private List<InstanceRecord> query(String operation, String sql, Object... params) {
        return query(operation, H2Catalog::row, sql, params);
    }

    /** How one result row becomes a value. */
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String operation, RowMapper<T> mapper, String sql, Object... params) {
        ensureOpen();
        try (Connection c = readers.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private long scalar(String operation, String sql) {
        ensureOpen();
        try (Connection c = readers.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private static void bind(PreparedStatement ps, InstanceRecord r) throws SQLException {
        ps.setLong(1, r.seq());
        ps.setString(2, r.studyInstanceUid());
        ps.setString(3, r.seriesInstanceUid());
        ps.setString(4, r.sopInstanceUid());
        ps.setString(5, r.sopClassUid());
        ps.setString(6, r.transferSyntaxUid());
        ps.setString(7, r.objectKey());
        ps.setLong(8, r.size());
        ps.setString(9, r.sha256());
        ps.setObject(10, OffsetDateTime.ofInstant(r.storedAt(), ZoneOffset.UTC));
    }

    private static InstanceRecord row(ResultSet rs) throws SQLException {
        return new InstanceRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class).toInstant());
    }

    private static void requireComplete(InstanceRecord r) {
        Objects.requireNonNull(r, "instance record");
        String missing = r.studyInstanceUid() == null ? "studyInstanceUid"
                : r.seriesInstanceUid() == null ? "seriesInstanceUid"
                : r.sopInstanceUid() == null ? "sopInstanceUid"
                : r.sopClassUid() == null ? "sopClassUid"
                : r.transferSyntaxUid() == null ? "transferSyntaxUid"
                : r.objectKey() == null ? "objectKey"
                : r.sha256() == null ? "sha256"
                : r.storedAt() == null ? "storedAt" : null;
        if (missing != null) {
            throw new IllegalArgumentException("instance record " + r.sopInstanceUid() + " has no " + missing);
        }
    }

    private DpacsException failure(String operation, SQLException e) {
        if (isDiskFull(e)) {
            return new DpacsException(FailureKind.OUT_OF_RESOURCES, "catalog " + file + " is out of space, could not "
                    + operation + "; free space or add storage", e);
        }
        return new DpacsException(FailureKind.PROCESSING_FAILURE, "catalog could not " + operation + ": "
                + e.getMessage(), e);
    }

    private static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device")
                    || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.warn("Catalog rollback failed after a failed commit: {}", e.toString());
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already failing to open; the first error is the one to report.
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("catalog " + file + " is closed");
        }
    }
}
