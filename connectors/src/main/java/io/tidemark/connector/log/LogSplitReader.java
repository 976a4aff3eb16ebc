package io.tidemark.connector.log;

import io.tidemark.engine.source.MalformedRecordException;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.topic.LogManager;
import java.time.Duration;
import java.util.List;

/**
 * Reads one partition through an embedded {@link Consumer} assigned to it alone, a poll at a
 * time, never waiting: an empty poll reports {@link ReadStatus#NOTHING_AVAILABLE} and the
 * source task backs off. Each record is emitted with its log timestamp.
 *
 * <p>The reader's position is the offset after the last record it emitted (or skipped), so
 * that {@link #currentSplit()} is exactly what a checkpoint taken between two reads must
 * store.
 *
 * @param <T> the record type.
 */
public final class LogSplitReader<T> implements SplitReader<T>
{
    private final LogSplit split;
    private final TopicPartition partition;
    private final LogDeserializer<T> deserializer;
    private final Consumer consumer;
    private long position;

    LogSplitReader(final LogManager logs, final LogSplit split, final LogDeserializer<T> deserializer, final int batch,
        final IsolationLevel isolation)
    {
        this.split = split;
        this.partition = split.partition();
        this.deserializer = deserializer;
        // A position that retention removed resumes at the earliest record kept.
        this.consumer = new Consumer(logs, ConsumerConfig.defaults().withMaxPollRecords(batch).withAutoOffsetReset(OffsetReset.EARLIEST)
            .withIsolationLevel(isolation));
        consumer.assign(List.of(partition));
        consumer.seek(partition, split.startingOffset());
        this.position = split.startingOffset();
    }

    @Override
    public ReadStatus read(final SourceOutput<T> output)
    {
        final long stop = split.stoppingOffset();
        if (position >= stop)
        {
            return ReadStatus.END_OF_SPLIT;
        }
        final List<ConsumerRecord> records = consumer.poll(Duration.ZERO);
        for (int i = 0, n = records.size(); i < n; i++)
        {
            final ConsumerRecord record = records.get(i);
            if (record.offset() >= stop)
            {
                position = stop;
                return ReadStatus.END_OF_SPLIT;
            }
            final T value = deserialize(record);
            if (value != null)
            {
                output.collect(value, record.timestamp());
            }
            position = record.offset() + 1;
        }
        // Past transaction markers and anything else the consumer stepped over.
        position = Math.min(Math.max(position, consumer.position(partition)), stop);
        if (position >= stop)
        {
            return ReadStatus.END_OF_SPLIT;
        }
        return records.isEmpty() ? ReadStatus.NOTHING_AVAILABLE : ReadStatus.MORE_AVAILABLE;
    }

    private T deserialize(final ConsumerRecord record)
    {
        try
        {
            return deserializer.deserialize(record.key(), record.value());
        }
        catch (final Exception e)
        {
            throw new MalformedRecordException(partition + " offset " + record.offset(), "the deserializer rejects it: " + e, e);
        }
    }

    /**
     * @return the next offset this reader will emit from.
     */
    public long position()
    {
        return position;
    }

    /**
     * @return the split as it stands now: resuming it reads on from where this reader is.
     * What a checkpoint will snapshot per split.
     */
    public LogSplit currentSplit()
    {
        return split.resumedAt(position);
    }

    @Override
    public void close()
    {
        consumer.close();
    }
}
