/**
 * The embedded log as a source and a sink: {@link io.tidemark.engine.connector.log.LogSource}
 * reads a topic with one split per partition and per-partition watermarks, bounded or
 * following the log; {@link io.tidemark.engine.connector.log.LogSink} writes through the
 * embedded producer, and doubles as a dead-letter destination for late data.
 */
package io.tidemark.engine.connector.log;
