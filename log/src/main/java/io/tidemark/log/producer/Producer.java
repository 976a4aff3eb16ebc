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
import io.tidemark.log.TransactionResult;
import io.tidemark.log.consumer.ConsumerGroupMetadata;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.errors.TransactionAbortedException;
import io.tidemark.log.errors.UnknownProducerIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.log.txn.TransactionCoordinator;

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
 *
 * <p>With a {@code transactional.id} it writes in transactions, as Kafka's producer does:
 * {@link #initTransactions()} once, then {@link #beginTransaction()}, sends and
 * {@link #sendOffsetsToTransaction consumed offsets}, and {@link #commitTransaction()} or
 * {@link #abortTransaction()}. Read-committed consumers see a transaction's records and offsets
 * all at once when it commits, and never if it aborts. A newer instance with the same
 * transactional id fences this one: its calls then fail with {@link ProducerFencedException}.
 */
public final class Producer implements AutoCloseable
{
    private final LogManager logs;
    private final ProducerConfig config;
    private final RecordAccumulator accumulator;
    private final Thread sender;
    private final long producerId;
    /** Null without a {@code transactional.id}: the plain send path pays one null check for transactions. */
    private final TransactionManager transactions;
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
        this(logs, null, null, config);
    }

    /**
     * Starts a producer that may write in transactions, and its sender thread.
     *
     * @param logs the log manager whose topics it writes to.
     * @param transactions the transaction coordinator of {@code logs}; may be null without a
     *        {@code transactional.id}.
     * @param groups the group coordinator whose offsets {@link #sendOffsetsToTransaction}
     *        commits; may be null if that is never called.
     * @param config the settings.
     * @throws IllegalArgumentException if the config has a {@code transactional.id} but there
     *         is no transaction coordinator.
     */
    public Producer(final LogManager logs, final TransactionCoordinator transactions, final GroupCoordinator groups,
        final ProducerConfig config)
    {
        if (config.transactionalId() != null && transactions == null)
        {
            throw new IllegalArgumentException("transactional.id '" + config.transactionalId() + "' needs a transaction coordinator");
        }
        this.logs = logs;
        this.config = config;
        this.accumulator = new RecordAccumulator(config.lingerMs(), config.partitioner(), config.bufferMemory(), config.maxBlockMs(),
            config.batchSize(), config.compressionType());
        this.transactions = config.transactionalId() != null ? new TransactionManager(config, transactions, groups) : null;
        // A transactional producer's id and epoch come from the coordinator, in initTransactions.
        this.producerId = config.idempotence() && this.transactions == null ? logs.allocateProducerId() : NO_PRODUCER_ID;
        this.sender = new Thread(this::sendLoop, "tidemark-producer-" +
            (config.transactionalId() != null ? config.transactionalId() : String.valueOf(producerId)));
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
     *         {@code max.message.bytes}, {@link ProducerFencedException} once a newer instance
     *         with the same transactional id has fenced this one, or the log's error for the batch.
     * @throws IllegalStateException if the producer is closed, or is transactional and not in a
     *         transaction.
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
            if (transactions != null)
            {
                transactions.recordSent(topicPartition);
            }
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
     * Kafka's initTransactions: gets this producer's id and a new epoch for its
     * {@code transactional.id} from the coordinator, which fences every older instance and
     * aborts a transaction they left open. Called once, before the first transaction.
     *
     * @throws IllegalStateException without a {@code transactional.id}, or when called twice.
     * @throws ProducerFencedException if a newer instance took over meanwhile.
     * @throws io.tidemark.log.errors.InvalidTransactionTimeoutException if
     *         {@code transaction.timeout.ms} is above the coordinator's maximum.
     */
    public void initTransactions()
    {
        transactions("initTransactions").initialize();
    }

    /**
     * Begins a transaction: the records sent from now on, and the offsets sent with
     * {@link #sendOffsetsToTransaction}, commit or abort together.
     *
     * @throws IllegalStateException before {@link #initTransactions()} or inside a transaction.
     * @throws ProducerFencedException if this producer has been fenced.
     */
    public void beginTransaction()
    {
        transactions("beginTransaction").begin();
    }

    /**
     * Commits consumed offsets as part of the transaction: the group sees them only if the
     * transaction commits, so consuming, producing and committing are one step, exactly once.
     *
     * @param offsets the offset of the next record to consume, per input partition.
     * @param groupMetadata the consumer's {@link io.tidemark.log.consumer.Consumer#groupMetadata()};
     *        a stale generation is refused, so a consumer that lost its partitions cannot commit for them.
     * @throws IllegalStateException outside a transaction, or without a group coordinator.
     * @throws ProducerFencedException if this producer has been fenced.
     * @throws LogException if the coordinator refuses the offsets; the transaction can then only be aborted.
     */
    public void sendOffsetsToTransaction(final Map<TopicPartition, OffsetAndMetadata> offsets, final ConsumerGroupMetadata groupMetadata)
    {
        transactions("sendOffsetsToTransaction").sendOffsets(offsets, groupMetadata);
    }

    /**
     * Writes every record of the transaction, then commits it: its records become visible to
     * read-committed consumers and its offsets to the groups. Returns once the markers are written.
     *
     * @throws IllegalStateException outside a transaction.
     * @throws ProducerFencedException if this producer has been fenced.
     * @throws LogException if a record of the transaction could not be written, or the
     *         coordinator failed: the transaction is not committed and can only be aborted.
     */
    public void commitTransaction()
    {
        final TransactionManager transaction = transactions("commitTransaction");
        transaction.beginCommit();
        flush();
        transaction.end(TransactionResult.COMMIT);
    }

    /**
     * Aborts the transaction: records not yet written are dropped (their futures fail with
     * {@link TransactionAbortedException}) and those written are hidden from read-committed
     * consumers for good; its offsets are dropped.
     *
     * @throws IllegalStateException outside a transaction.
     * @throws ProducerFencedException if this producer has been fenced.
     */
    public void abortTransaction()
    {
        final TransactionManager transaction = transactions("abortTransaction");
        transaction.beginAbort();
        accumulator.abortUndrained(new TransactionAbortedException("transactional id '" + config.transactionalId() +
            "': the record was not written because its transaction was aborted"));
        flush(); // batches the sender holds already are written before the abort marker
        transaction.end(TransactionResult.ABORT);
    }

    private TransactionManager transactions(final String call)
    {
        if (transactions == null)
        {
            throw new IllegalStateException("cannot call " + call + ": this producer has no transactional.id");
        }
        return transactions;
    }

    /**
     * @return the producer id: -1 without idempotence, and for a transactional producer before
     *         {@link #initTransactions()}.
     */
    public long producerId()
    {
        if (transactions != null)
        {
            final ProducerIdAndEpoch producer = transactions.producer();
            return producer != null ? producer.producerId() : NO_PRODUCER_ID;
        }
        return producerId;
    }

    /**
     * Sends what is buffered, waits for the answers, and stops the sender thread. An open
     * transaction is aborted, as Kafka's producer does on a graceful close.
     */
    @Override
    public void close()
    {
        if (transactions != null && transactions.inTransaction())
        {
            try
            {
                abortTransaction();
            }
            catch (final LogException e)
            {
                // Fenced or failing: the coordinator aborts the transaction when it times out.
            }
        }
        closeLeavingTransactionOpen();
    }

    /**
     * Sends what is buffered, waits for the answers and stops the sender thread, as
     * {@link #close()} does, but leaves an open transaction open: whoever holds its
     * transactional id, producer id and epoch may still commit it through the coordinator (a
     * restarted exactly-once sink commits what a completed checkpoint pre-committed); otherwise
     * a new instance of the id or the transaction's timeout aborts it.
     */
    public void closeLeavingTransactionOpen()
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
            if (transactions != null)
            {
                transactions.beforeWrite(topicPartition);
                final ProducerIdAndEpoch producer = transactions.producer();
                result = batch.log().append(batch.seal(producer.producerId(), producer.epoch(), sequence, true));
            }
            else if (config.idempotence())
            {
                try
                {
                    result = batch.log().append(batch.seal(producerId, (short)0, sequence, false));
                }
                catch (final UnknownProducerIdException e)
                {
                    // The partition forgot this producer after producer.id.expiration.ms of
                    // silence. Appends are synchronous, so nothing is in flight: starting the
                    // partition's sequence over cannot write anything twice.
                    sequence = 0;
                    result = batch.log().append(batch.seal(producerId, (short)0, sequence, false));
                }
            }
            else
            {
                result = batch.log().append(batch.seal(NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE, false));
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
            if (transactions != null)
            {
                transactions.batchFailed(e);
            }
            batch.fail(e);
        }
        finally
        {
            sending.unlock();
            accumulator.completed(batch);
        }
    }
}
