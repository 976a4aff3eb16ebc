package io.tidemark.log.txn;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import org.agrona.concurrent.EpochClock;

/**
 * BASE SKELETON of the transaction coordinator's API, implemented on the txn-coordinator
 * branch. Every method is called from many threads (network and I/O threads, embedded
 * producers) and may block on the disk.
 */
public final class TransactionCoordinator implements AutoCloseable
{
    /** The internal topic of transaction state, Kafka's name. */
    public static final String TOPIC = "__transaction_state";

    /**
     * Opens {@link #TOPIC} (creating it if new), loads every transactional id, completes the
     * commits and aborts that had been decided, aborts the transactions that had not, and
     * starts the timeout checks.
     *
     * @param logs the topics.
     * @param groups the group coordinator, whose offsets transactions commit.
     * @param config the settings.
     * @param clock the wall clock.
     */
    public TransactionCoordinator(final LogManager logs, final GroupCoordinator groups, final TransactionConfig config,
        final EpochClock clock)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Kafka's InitProducerId with a transactional id: maps the id to a producer id (new, or the
     * one it had) and bumps the epoch, which fences every older instance; a transaction the id
     * left open is aborted first.
     *
     * @param transactionalId the transactional id.
     * @param transactionTimeoutMs the producer's {@code transaction.timeout.ms}.
     * @param expected the producer id and epoch the caller had, for an epoch bump of a live
     *        producer (Kafka's KIP-360), or null.
     * @return the producer id and the new epoch.
     * @throws io.tidemark.log.errors.InvalidTransactionTimeoutException if the timeout is out of range.
     * @throws io.tidemark.log.errors.ConcurrentTransactionsException while a previous end is being completed.
     * @throws io.tidemark.log.errors.ProducerFencedException if {@code expected} is not the current epoch.
     */
    public ProducerIdAndEpoch initProducerId(final String transactionalId, final int transactionTimeoutMs,
        final ProducerIdAndEpoch expected)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Kafka's AddPartitionsToTxn: records, durably, that the open transaction (begun now if
     * none is) writes to these partitions, before the producer writes to them.
     *
     * @param transactionalId the transactional id.
     * @param producer the producer id and epoch.
     * @param partitions the partitions.
     * @throws io.tidemark.log.errors.ProducerFencedException for an older epoch.
     * @throws io.tidemark.log.errors.InvalidProducerIdMappingException for another producer id.
     * @throws io.tidemark.log.errors.ConcurrentTransactionsException while the previous end is being completed.
     * @throws io.tidemark.log.errors.InvalidTxnStateException in any other state that forbids it.
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException for a partition that does not exist.
     */
    public void addPartitions(final String transactionalId, final ProducerIdAndEpoch producer, final Collection<TopicPartition> partitions)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Kafka's AddOffsetsToTxn: the open transaction will commit offsets of {@code groupId}.
     *
     * @param transactionalId the transactional id.
     * @param producer the producer id and epoch.
     * @param groupId the consumer group.
     * @throws io.tidemark.log.errors.LogException as {@link #addPartitions}.
     */
    public void addOffsets(final String transactionalId, final ProducerIdAndEpoch producer, final String groupId)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Kafka's EndTxn: records the decision durably, writes the markers to every partition the
     * transaction touched (and to the offsets of its groups), then records the completion.
     * Returns once the markers are written.
     *
     * @param transactionalId the transactional id.
     * @param producer the producer id and epoch.
     * @param result commit or abort.
     * @throws io.tidemark.log.errors.LogException as {@link #addPartitions}.
     */
    public void endTransaction(final String transactionalId, final ProducerIdAndEpoch producer, final TransactionResult result)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Checks a transactional produce before it is written: the producer's epoch is current and
     * the partition is part of its open transaction.
     *
     * @param transactionalId the transactional id the produce request names.
     * @param producer the batch's producer id and epoch.
     * @param partition the partition written to.
     * @throws io.tidemark.log.errors.LogException as {@link #addPartitions}.
     */
    public void verifyWrite(final String transactionalId, final ProducerIdAndEpoch producer, final TopicPartition partition)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @param transactionalId the transactional id.
     * @return its description.
     * @throws io.tidemark.log.errors.TransactionalIdNotFoundException if it is not known.
     */
    public TransactionDescription describe(final String transactionalId)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Kafka's ListTransactions.
     *
     * @param states only these states; empty for all.
     * @param producerIds only these producer ids; empty for all.
     * @param minDurationMs only transactions open at least this long; -1 for all.
     * @return the matching transactional ids.
     */
    public List<TransactionListing> list(final Set<TransactionState> states, final Set<Long> producerIds, final long minDurationMs)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Stops the timeout checks.
     */
    @Override
    public void close()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }
}
