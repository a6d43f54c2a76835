/**
 * De-identification on ingest: the Basic Application Level Confidentiality Profile of PS3.15 Annex E and its
 * options, applied per Table E.1-1 (the generated {@code annex-e.tsv}), with consistent pseudonyms for patients
 * and UIDs keyed by the operator's secret, an encrypted re-identification log, and the burned-in annotation
 * policy. The ingest pipeline calls {@link org.dpacs.server.deid.Deidentifier}; settings come from
 * {@link org.dpacs.server.deid.DeidSettings}. Not here: pixel data cleaning, per-source policies.
 * docs/deidentification.md says what is done and what is not.
 */
package org.dpacs.server.deid;
