package io.tidemark.log.producer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.AppendResult;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.CompressionCodec;
import io.tidemark.log.record.Header;
import io.tidemark.log.record.RecordBatchBuilder;

/**
 * The records sent to one partition that will be appended together: the batch being built,
 * and who to tell when it is written. Filled under the accumulator's lock, then handed to the
 * sender thread, which alone touches it from then on.
 */
final class ProducerBatch
{
    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final ByteBuffer buffer;
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private final long createdNs;
    private final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
    private final List<Callback> callbacks = new ArrayList<>();
    private long[] timestamps = new long[16];
    /** Completes when every record of the batch has its answer; what {@code flush} waits on. */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    ProducerBatch(final TopicPartition topicPartition, final PartitionLog log, final ByteBuffer buffer, final CompressionCodec compression,
        final long createdNs)
    {
        this.topicPartition = topicPartition;
        this.log = log;
        this.buffer = buffer;
        this.createdNs = createdNs;
        builder.begin(buffer, 0, buffer.capacity()).compression(compression);
    }

    /**
     * @return the batch's memory, counted against {@code buffer.memory}; free for reuse once
     *         the batch is answered.
     */
    ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * Adds a record if it fits.
     *
     * @param future completed when the record is written, or null if it was answered already.
     * @return false if the record does not fit.
     */
    boolean tryAppend(final long timestamp, final byte[] key, final byte[] value, final Header[] headers,
        final CompletableFuture<RecordMetadata> future, final Callback callback)
    {
        if (!builder.append(timestamp, key, value, headers))
        {
            return false;
        }
        final int n = futures.size();
        if (n == timestamps.length)
        {
            timestamps = Arrays.copyOf(timestamps, n * 2);
        }
        timestamps[n] = timestamp;
        futures.add(future);
        callbacks.add(callback);
        return true;
    }

    TopicPartition topicPartition()
    {
        return topicPartition;
    }

    PartitionLog log()
    {
        return log;
    }

    long createdNs()
    {
        return createdNs;
    }

    int recordCount()
    {
        return futures.size();
    }

    /**
     * Completes the batch for sending.
     *
     * @return the batch's bytes.
     */
    ByteBuffer seal(final long producerId, final short producerEpoch, final int baseSequence, final boolean transactional)
    {
        builder.producer(producerId, producerEpoch, baseSequence).transactional(transactional);
        return buffer.position(0).limit(builder.finish());
    }

    void complete(final AppendResult result)
    {
        for (int i = 0; i < futures.size(); i++)
        {
            final long timestamp = result.logAppendTime() >= 0 ? result.logAppendTime() : timestamps[i];
            final RecordMetadata metadata = new RecordMetadata(topicPartition, result.firstOffset() + i, timestamp);
            if (futures.get(i) != null)
            {
                futures.get(i).complete(metadata);
                notify(callbacks.get(i), metadata, null);
            }
        }
        done.complete(null);
    }

    void fail(final Exception exception)
    {
        for (int i = 0; i < futures.size(); i++)
        {
            if (futures.get(i) != null)
            {
                futures.get(i).completeExceptionally(exception);
                notify(callbacks.get(i), null, exception);
            }
        }
        done.complete(null);
    }

    static void notify(final Callback callback, final RecordMetadata metadata, final Exception exception)
    {
        if (callback == null)
        {
            return;
        }
        try
        {
            callback.onCompletion(metadata, exception);
        }
        catch (final RuntimeException e)
        {
            // A failing callback must neither stop the sender nor keep other records unanswered.
        }
    }
}
