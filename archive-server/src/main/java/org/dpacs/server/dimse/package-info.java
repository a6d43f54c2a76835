/**
 * DIMSE service providers: {@link org.dpacs.server.dimse.DimseServer} wires the toolkit's association acceptor to
 * C-ECHO ({@code CEchoScp}), C-STORE ({@code CStoreScp}, into the ingest pipeline), C-FIND ({@code CFindScp}, on
 * the search index through the QIDO-RS query of {@code IdentifierQuery}), C-GET and C-MOVE ({@code CGetScp},
 * {@code CMoveScp}: catalog look-up in {@code RetrieveScope}, C-STORE sub-operations in {@code Suboperations}).
 * Thin adapters: no validation, de-identification, matching or storage logic lives here.
 *
 * <p>Not yet: TLS.
 */
package org.dpacs.server.dimse;
