/**
 * DIMSE service providers: {@link org.dpacs.server.dimse.DimseServer} wires the toolkit's association acceptor to
 * C-ECHO ({@code CEchoScp}) and C-STORE ({@code CStoreScp}, into the ingest pipeline). Thin adapters: no
 * validation, de-identification or storage logic lives here.
 *
 * <p>Not yet: C-FIND, C-MOVE, C-GET, TLS.
 */
package org.dpacs.server.dimse;
