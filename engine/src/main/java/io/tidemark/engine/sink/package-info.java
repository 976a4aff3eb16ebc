/**
 * Sinks: the per-subtask {@link io.tidemark.engine.sink.SinkWriter} contract, an in-memory
 * collecting sink for tests, and a printing sink. The log and files are in
 * {@code io.tidemark.engine.connector}.
 */
package io.tidemark.engine.sink;
