/**
 * The administrators' HTTP API under {@code /api/admin}: a protocol adapter over the quarantine (ingest) and the
 * re-identification log (deid), open to users with role admin only.
 */
package org.dpacs.server.admin;
