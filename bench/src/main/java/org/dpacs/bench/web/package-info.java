/**
 * The end-to-end DICOMweb benchmark driver that {@code scripts/bench} runs: STOW-RS ingest with one and several
 * clients, an index filled to a realistic size, QIDO-RS as OHIF sends it, and WADO-RS metadata, frames and
 * series, against dPACS and, for comparison, Orthanc. Plain Java ({@code java.net.http}, HTTP/1.1); not JMH,
 * because what is measured is a server in another process, not code in this one. Results: docs/benchmarks.md.
 */
package org.dpacs.bench.web;
