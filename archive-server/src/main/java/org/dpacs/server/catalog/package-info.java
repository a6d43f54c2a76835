/**
 * The durable record of what is stored: {@link org.dpacs.server.catalog.Catalog} and its embedded H2
 * implementation {@link org.dpacs.server.catalog.H2Catalog} (PostgreSQL to follow). An instance counts as
 * stored once its record is committed here; the Lucene index is derived from these records by their
 * {@code seq}. Not a query engine: QIDO searches go to index/.
 */
package org.dpacs.server.catalog;
