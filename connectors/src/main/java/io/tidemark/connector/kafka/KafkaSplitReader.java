package io.tidemark.connector.kafka;

import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.engine.source.MalformedRecordException;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition out of its subtask's {@link KafkaFetcher}: up to a batch of the buffered
 * records per read, each deserialized and emitted with its Kafka timestamp, never waiting. Its
 * position is the offset after the last record it emitted or skipped (transaction markers and
 * aborted records included, once the buffer is read out), so that {@link #currentSplit()} is
 * exactly what a checkpoint taken between two reads must store.
 *
 * @param <T> the record type.
 */
final class KafkaSplitReader<T> implements SplitReader<T>
{
    private final KafkaSplit split;
    private final TopicPartition partition;
    private final LogDeserializer<T> deserializer;
    private final KafkaFetcher fetcher;
    private final KafkaFetcher.Buffer buffer;
    private final int batch;
    private final boolean commits;
    private long position;

    /**
     * @param split        the split.
     * @param deserializer this reader's copy of the deserializer.
     * @param fetcher      the subtask's fetcher.
     * @param batch        the most records a read emits.
     * @param commits      whether completed checkpoints' offsets go back to the group.
     */
    KafkaSplitReader(final KafkaSplit split, final LogDeserializer<T> deserializer, final KafkaFetcher fetcher, final int batch, final boolean commits)
    {
        this.split = split;
        this.partition = new TopicPartition(split.topic(), split.partition());
        this.deserializer = deserializer;
        this.fetcher = fetcher;
        this.batch = batch;
        this.commits = commits;
        this.position = split.nextOffset();
        this.buffer = fetcher.open(split);
    }

    @Override
    public ReadStatus read(final SourceOutput<T> output)
    {
        final long stop = split.stoppingOffset();
        if (position >= stop)
        {
            return ReadStatus.END_OF_SPLIT;
        }
        if (buffer.isEmpty())
        {
            fetcher.fetch();
        }
        int emitted = 0;
        ConsumerRecord<byte[], byte[]> record;
        while (emitted < batch && (record = buffer.peek()) != null)
        {
            final long offset = record.offset();
            if (offset >= stop)
            {
                position = stop;
                return ReadStatus.END_OF_SPLIT;
            }
            final T value = deserialize(record);
            buffer.advance();
            if (value != null)
            {
                output.collect(value, record.timestamp());
            }
            position = offset + 1;
            emitted++;
        }
        if (buffer.isEmpty())
        {
            // Past transaction markers and aborted records the consumer stepped over.
            position = Math.min(Math.max(position, fetcher.position(partition)), stop);
            if (position >= stop)
            {
                return ReadStatus.END_OF_SPLIT;
            }
        }
        return emitted == 0 ? ReadStatus.NOTHING_AVAILABLE : ReadStatus.MORE_AVAILABLE;
    }

    private T deserialize(final ConsumerRecord<byte[], byte[]> record)
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
     * @return the split as it stands now: resuming it reads on from where this reader is.
     */
    @Override
    public KafkaSplit currentSplit()
    {
        return split.resumedAt(position);
    }

    @Override
    public void notifyCheckpointComplete(final long checkpointId, final SourceSplit stored)
    {
        if (commits)
        {
            fetcher.commitLater(partition, ((KafkaSplit)stored).nextOffset());
        }
    }

    @Override
    public void close()
    {
        fetcher.close(partition);
    }
}
