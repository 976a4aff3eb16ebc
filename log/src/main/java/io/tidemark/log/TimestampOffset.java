package io.tidemark.log;

/**
 * The answer to "which record is the first at or after time t": its offset and its timestamp.
 *
 * @param timestamp the record's timestamp.
 * @param offset the record's offset.
 */
public record TimestampOffset(long timestamp, long offset)
{
}
