package io.tidemark.engine.time;

/**
 * Reads the event timestamp out of a record. Runs once per record on the source's thread,
 * so it should be a cheap field read.
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface TimestampAssigner<T>
{
    /**
     * @param element         the record.
     * @param recordTimestamp the timestamp the record already carries (a log record's
     *                        timestamp, for instance), or {@link Watermark#NONE} if it has none.
     * @return the event timestamp in milliseconds.
     */
    long extractTimestamp(T element, long recordTimestamp);
}
