package io.tidemark.log;

/**
 * What an append did.
 *
 * @param firstOffset the offset given to the first appended record.
 * @param lastOffset the offset given to the last appended record.
 * @param logAppendTime the time stamped on the batches if the topic uses log-append time,
 *        else -1.
 * @param recordCount how many records were appended.
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, int recordCount)
{
}
