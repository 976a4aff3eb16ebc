/**
 * Sources: the split-based {@link io.tidemark.engine.source.Source} contract, collections and
 * generators. Each split gets its own watermark generator. The log, files, JDBC tables and Kafka are in the connectors module,
 * {@code io.tidemark.connector}.
 */
package io.tidemark.engine.source;
