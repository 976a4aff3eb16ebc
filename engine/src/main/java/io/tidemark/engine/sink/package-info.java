/**
 * Sinks: the per-subtask {@link io.tidemark.engine.sink.SinkWriter} contract, an in-memory
 * collecting sink for tests, and a printing sink.
 */
package io.tidemark.engine.sink;
