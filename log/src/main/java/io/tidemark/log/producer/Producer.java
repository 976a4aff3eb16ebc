package io.tidemark.log.producer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.errors.UnknownProducerIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.topic.LogManager;

import static io.tidemark.log.record.RecordBatchLayout.NO_PRODUCER_EPOCH;
import static io.tidemark.log.record.RecordBatchLayout.NO_PRODUCER_ID;
import static io.tidemark.log.record.RecordBatchLayout.NO_SEQUENCE;

/**
 * Sends records to the topics of a {@link LogManager} in this process, as Kafka's producer
 * sends them to a broker: each record goes to a partition (named, or chosen by the
 * {@link Partitioner}), joins that partition's open batch, and a sender thread appends ready
 * batches ({@code batch.size}, {@code linger.ms}) to the partition's log. {@link #send}
 * returns at once with a future; {@link Acks} says when it completes.
 *
 * <p>With idempotence (the default) the producer has an id from the log manager and numbers
 * its records per partition, so the log never writes a batch twice. Thread-safe: many
 * threads may send through one producer; records sent by one thread to one partition keep
 * their order.
 */
public final class Producer implements AutoCloseable
{
    private final LogManager logs;
    private final ProducerConfig config;
    private final RecordAccumulator accumulator;
    private final Thread sender;
    private final long producerId;
    /** Next sequence number per partition; touched only while holding {@link #sending}. */
    private final Map<TopicPartition, Integer> sequences = new HashMap<>();
    /** Held while a batch is sealed and written: by the sender thread, or by a caller writing its own record. */
    private final ReentrantLock sending = new ReentrantLock();

    /**
     * Starts a producer and its sender thread.
     *
     * @param logs the log manager whose topics it writes to.
     * @param config the settings.
     */
    public Producer(final LogManager logs, final ProducerConfig config)
    {
        this.logs = logs;
        this.config = config;
        this.accumulator = new RecordAccumulator(config.lingerMs(), config.partitioner(), config.bufferMemory(), config.maxBlockMs(),
            config.batchSize());
        this.producerId = config.idempotence() ? logs.allocateProducerId() : NO_PRODUCER_ID;
        this.sender = new Thread(this::sendLoop, "tidemark-producer-" + producerId);
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Sends a record.
     *
     * @param record the record.
     * @return a future of where it was written.
     */
    public CompletableFuture<RecordMetadata> send(final ProducerRecord record)
    {
        return send(record, null);
    }

    /**
     * Sends a record, and tells {@code callback} how it went.
     *
     * @param record the record.
     * @param callback told once, on the sender thread (or on this thread, when it writes a
     *        sparse record itself with {@code linger.ms=0}), or null.
     * @return a future of where it was written; it fails with
     *         {@link UnknownTopicOrPartitionException} for an unknown topic or partition,
     *         {@link RecordTooLargeException} for a record over the topic's
     *         {@code max.message.bytes}, or the log's error for the batch.
     * @throws IllegalStateException if the producer is closed.
     */
    public CompletableFuture<RecordMetadata> send(final ProducerRecord record, final Callback callback)
    {
        final CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        final TopicPartition topicPartition;
        final PartitionLog log;
        final int batchCapacity;
        try
        {
            final List<PartitionLog> partitions = logs.partitions(record.topic());
            final int partition = record.partition() != null ? record.partition() :
                config.partitioner().partition(record.topic(), record.key(), partitions.size());
            if (partition < 0 || partition >= partitions.size())
            {
                throw new UnknownTopicOrPartitionException("topic '" + record.topic() + "' has partitions 0 to " +
                    (partitions.size() - 1) + ", not " + partition);
            }
            log = partitions.get(partition);
            topicPartition = log.topicPartition();
            final LogConfig topicConfig = logs.topicConfig(record.topic());
            final int size = RecordAccumulator.maxBatchSize(record.key(), record.value(), record.headers());
            if (size > topicConfig.maxMessageBytes())
            {
                throw new RecordTooLargeException("a record of about " + size + " bytes exceeds max.message.bytes=" +
                    topicConfig.maxMessageBytes() + " of topic '" + record.topic() + "'");
            }
            batchCapacity = Math.min(config.batchSize(), topicConfig.maxMessageBytes());
        }
        catch (final LogException e)
        {
            future.completeExceptionally(e);
            ProducerBatch.notify(callback, null, e);
            return future;
        }

        final long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        try
        {
            if (config.acks() == Acks.NONE)
            {
                accumulator.append(topicPartition, log, batchCapacity, timestamp, record.key(), record.value(), record.headers(), null, null);
                final RecordMetadata unknownOffset = new RecordMetadata(topicPartition, -1, timestamp);
                future.complete(unknownOffset);
                ProducerBatch.notify(callback, unknownOffset, null);
            }
            else
            {
                final long start = System.nanoTime();
                final ProducerBatch direct = config.lingerMs() == 0 ? accumulator.tryDirect(topicPartition, log, batchCapacity, timestamp,
                    record.key(), record.value(), record.headers(), future, callback) : null;
                if (direct != null)
                {
                    send(direct);
                    accumulator.directDone(start);
                }
                else
                {
                    accumulator.append(topicPartition, log, batchCapacity, timestamp, record.key(), record.value(), record.headers(), future,
                        callback);
                }
            }
        }
        catch (final LogException e)
        {
            future.completeExceptionally(e); // buffer.memory stayed full: the record was not kept
            ProducerBatch.notify(callback, null, e);
        }
        return future;
    }

    /**
     * Sends every buffered record now and waits until each has its answer.
     */
    public void flush()
    {
        accumulator.flush().join();
    }

    /**
     * @return the producer id, or -1 without idempotence.
     */
    public long producerId()
    {
        return producerId;
    }

    /**
     * Sends what is buffered, waits for the answers, and stops the sender thread.
     */
    @Override
    public void close()
    {
        accumulator.close();
        try
        {
            sender.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void sendLoop()
    {
        try
        {
            for (ProducerBatch batch = accumulator.poll(); batch != null; batch = accumulator.poll())
            {
                send(batch);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void send(final ProducerBatch batch)
    {
        final TopicPartition topicPartition = batch.topicPartition();
        sending.lock();
        try
        {
            int sequence = sequences.getOrDefault(topicPartition, 0);
            AppendResult result;
            if (config.idempotence())
            {
                try
                {
                    result = batch.log().append(batch.seal(producerId, (short)0, sequence));
                }
                catch (final UnknownProducerIdException e)
                {
                    // The partition forgot this producer after producer.id.expiration.ms of
                    // silence. Appends are synchronous, so nothing is in flight: starting the
                    // partition's sequence over cannot write anything twice.
                    sequence = 0;
                    result = batch.log().append(batch.seal(producerId, (short)0, sequence));
                }
            }
            else
            {
                result = batch.log().append(batch.seal(NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE));
            }
            if (config.acks() == Acks.ALL)
            {
                batch.log().flush();
            }
            // Only a written batch uses its sequence numbers: a failed one leaves no gap.
            sequences.put(topicPartition, (int)((sequence + (long)batch.recordCount()) % (Integer.MAX_VALUE + 1L)));
            batch.complete(result);
        }
        catch (final RuntimeException e)
        {
            batch.fail(e);
        }
        finally
        {
            sending.unlock();
            accumulator.completed(batch);
        }
    }
}
