/**
 * The embedded log as a source and a sink: {@link io.tidemark.connector.log.LogSource}
 * reads a topic with one split per partition and per-partition watermarks, bounded or
 * following the log; {@link io.tidemark.connector.log.LogSink} writes through the
 * embedded producer, and doubles as a dead-letter destination for late data.
 */
package io.tidemark.connector.log;
