package org.dpacs.server.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;

/**
 * The catalog's tables and their migrations. {@code schema_version} holds the number of migrations applied;
 * opening a catalog applies the missing ones in order. A later change appends a migration, never edits one.
 */
final class CatalogSchema {

    /**
     * Migration n is {@code MIGRATIONS.get(n - 1)}. H2 commits each DDL statement on its own, so a migration is
     * not atomic: every statement is written to be re-runnable (IF NOT EXISTS) in case a crash interrupts it.
     */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    "CREATE SEQUENCE IF NOT EXISTS instance_seq START WITH 1",
                    // UIDs: at most 64 characters (PS3.5 9.1). object_key: at most ObjectKeys' 1024.
                    """
                    CREATE TABLE IF NOT EXISTS instance (
                        seq BIGINT NOT NULL PRIMARY KEY,
                        study_uid VARCHAR(64) NOT NULL,
                        series_uid VARCHAR(64) NOT NULL,
                        sop_uid VARCHAR(64) NOT NULL CONSTRAINT instance_sop_uid UNIQUE,
                        sop_class_uid VARCHAR(64) NOT NULL,
                        transfer_syntax_uid VARCHAR(64) NOT NULL,
                        object_key VARCHAR(1024) NOT NULL,
                        size BIGINT NOT NULL,
                        sha256 VARCHAR(64) NOT NULL,
                        stored_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
                    )""",
                    // seq is the primary key, so since() and maxSeq() already walk an index.
                    "CREATE INDEX IF NOT EXISTS instance_study_series ON instance (study_uid, series_uid)"),
            List.of(
                    // Instances held back for an administrator (burned-in annotation under dpacs.deid.burned.in=
                    // quarantine). Apart from the instance table, so no query path can publish them by mistake.
                    """
                    CREATE TABLE IF NOT EXISTS quarantine (
                        sop_uid VARCHAR(64) NOT NULL PRIMARY KEY,
                        study_uid VARCHAR(64) NOT NULL,
                        series_uid VARCHAR(64) NOT NULL,
                        sop_class_uid VARCHAR(64) NOT NULL,
                        transfer_syntax_uid VARCHAR(64) NOT NULL,
                        object_key VARCHAR(1024) NOT NULL,
                        size BIGINT NOT NULL,
                        sha256 VARCHAR(64) NOT NULL,
                        reason VARCHAR(2000) NOT NULL,
                        origin VARCHAR(1000) NOT NULL,
                        held_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
                    )"""));

    /** The schema version this code reads and writes. */
    static final int VERSION = MIGRATIONS.size();

    private CatalogSchema() {
    }

    /** Brings the schema to {@link #VERSION}; {@code c} is in manual-commit mode. */
    static void migrate(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
            int current;
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                rs.next();
                current = rs.getInt(1);
                if (rs.wasNull()) {
                    s.execute("INSERT INTO schema_version (version) VALUES (0)");
                    current = 0;
                }
            }
            if (current > VERSION) {
                throw new DpacsException(FailureKind.PROCESSING_FAILURE, "catalog " + where + " has schema version "
                        + current + ", newer than the " + VERSION + " this server knows; run a newer dPACS");
            }
            for (int version = current + 1; version <= VERSION; version++) {
                for (String sql : MIGRATIONS.get(version - 1)) {
                    s.execute(sql);
                }
                s.execute("UPDATE schema_version SET version = " + version);
                c.commit();
            }
            c.commit();
        }
    }
}
