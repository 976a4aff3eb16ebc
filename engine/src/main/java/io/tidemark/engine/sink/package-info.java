/**
 * Sinks: the per-subtask {@link io.tidemark.engine.sink.SinkWriter} contract, an in-memory
 * collecting sink for tests, and a printing sink. The log, files, JDBC
 * tables and Kafka are in the connectors module, {@code io.tidemark.connector}.
 */
package io.tidemark.engine.sink;
