package io.tidemark.log.consumer;

/**
 * The consumer's settings, with Kafka's meanings.
 *
 * @param maxPollRecords {@code max.poll.records}: the most records one poll returns.
 * @param fetchMaxBytes {@code max.partition.fetch.bytes}: the bytes read from one partition
 *        at a time (a larger batch is still read whole).
 * @param autoOffsetReset {@code auto.offset.reset}.
 * @param checkCrcs {@code check.crcs}: whether to verify every batch's CRC before using it.
 */
public record ConsumerConfig(int maxPollRecords, int fetchMaxBytes, OffsetReset autoOffsetReset, boolean checkCrcs)
{
    /**
     * @return Kafka's defaults: 500 records, 1 MiB, latest, CRCs checked.
     */
    public static ConsumerConfig defaults()
    {
        return new ConsumerConfig(500, 1 << 20, OffsetReset.LATEST, true);
    }

    /**
     * @param reset where to start without a position.
     * @return a copy with it set.
     */
    public ConsumerConfig withAutoOffsetReset(final OffsetReset reset)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, reset, checkCrcs);
    }

    /**
     * @param records the most records a poll returns, at least 1.
     * @return a copy with it set.
     */
    public ConsumerConfig withMaxPollRecords(final int records)
    {
        if (records < 1)
        {
            throw new IllegalArgumentException("max.poll.records must be at least 1");
        }
        return new ConsumerConfig(records, fetchMaxBytes, autoOffsetReset, checkCrcs);
    }
}
