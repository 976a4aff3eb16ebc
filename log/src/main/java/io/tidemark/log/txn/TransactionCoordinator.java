package io.tidemark.log.txn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.ConcurrentTransactionsException;
import io.tidemark.log.errors.InvalidProducerIdMappingException;
import io.tidemark.log.errors.InvalidTransactionTimeoutException;
import io.tidemark.log.errors.InvalidTxnStateException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.TransactionalIdNotFoundException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.record.RecordBatchLayout;
import io.tidemark.log.topic.LogManager;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator (Kafka's, transaction version 1): gives transactional producers
 * their producer ids and epochs, records durably in {@value #TOPIC} which partitions and
 * groups each open transaction touches, and ends transactions by writing markers into all of
 * them.
 *
 * <p>Every change of a transactional id is written to the topic before it takes effect (see
 * {@link TransactionMetadata} for the record format); the topic is replayed at start. The
 * states, as Kafka names them:
 * <pre>
 * (new) --InitProducerId--> Empty --AddPartitions/AddOffsets--> Ongoing
 *                                                                |    |
 *                                             EndTxn(commit) ----+    +---- EndTxn(abort), timeout*, InitProducerId*
 *                                                   v                       v
 *                                             PrepareCommit           PrepareAbort          (* with an epoch bump)
 *                                                   | markers               | markers
 *                                                   v                       v
 *                                             CompleteCommit          CompleteAbort
 * From Empty and Complete*: InitProducerId -> Empty (epoch + 1); AddPartitions/AddOffsets -> Ongoing;
 * unused for transactional.id.expiration.ms -> forgotten.
 * </pre>
 * An end is decided by writing PrepareCommit or PrepareAbort; the markers follow, then
 * CompleteCommit or CompleteAbort. Whoever finds a decided end not completed (a retried
 * EndTxn, the next request of the id, the periodic check, the recovery at start) writes its
 * markers again: a repeated marker is harmless. When the coordinator aborts on its own (a
 * transaction's timeout, a new instance's InitProducerId) it bumps the epoch in the
 * PrepareAbort it writes, so that the markers fence the old producer. A transaction Ongoing at
 * a restart stays open, as Kafka keeps it: its producer (or whoever holds its producer id and
 * epoch, such as an exactly-once sink restoring a checkpoint) may still commit it.
 *
 * <p>Every method is called from many threads (network and I/O threads, embedded producers)
 * and may block on the disk. The calls of one transactional id are serialised; those of
 * different ids run concurrently, writes of the topic's records excepted, which serialise per
 * partition of the topic only for the one append.
 */
public final class TransactionCoordinator implements AutoCloseable
{
    /** The internal topic of transaction state, Kafka's name. */
    public static final String TOPIC = "__transaction_state";

    /**
     * The size of a marker's batch: the header and one control record (key 4 bytes, value 6
     * bytes, and 7 bytes of length, attributes, deltas, key and value lengths and header count).
     */
    static final int MARKER_BATCH_BYTES = RecordBatchLayout.HEADER_SIZE + 17;

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    /** Tidemark's one coordinator is never re-elected: the epoch its markers carry never changes. */
    private static final int COORDINATOR_EPOCH = 0;
    /**
     * An open transaction is reported as long open (once) after this long, or halfway to its
     * timeout if that comes first: a hanging transaction shows in the log before it is aborted.
     */
    private static final long LONG_OPEN_MS = 60_000;
    private static final short NO_EPOCH = RecordBatchLayout.NO_PRODUCER_EPOCH;
    private static final long NO_PRODUCER_ID = RecordBatchLayout.NO_PRODUCER_ID;
    /** From this epoch on an id gets a new producer id at its next InitProducerId: one more bump must stay possible to fence. */
    private static final short LAST_EPOCH_BEFORE_ROTATION = Short.MAX_VALUE - 1;

    private final LogManager logs;
    private final GroupCoordinator groups;
    private final TransactionConfig config;
    private final EpochClock clock;
    private final MarkerListener listener;
    private final TransactionStateLog stateLog;
    private final Map<String, TransactionalId> ids = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * The lock and the current state of one transactional id: what one id does is serialised,
     * different ids go their own ways. The state is read without the lock by describe, list
     * and {@link #verifyWrite}.
     */
    private static final class TransactionalId
    {
        /** The state last written to the topic; null until the first is. */
        private volatile TransactionMetadata metadata;
        /** Set, under the lock, when the id expired: a caller that waited for the lock looks it up again. */
        private boolean forgotten;
        /** The start time of the open transaction already reported as long open, so it is reported once. */
        private long reportedLongOpen = -1;

        private TransactionalId(final TransactionMetadata metadata)
        {
            this.metadata = metadata;
        }
    }

    /**
     * Opens {@link #TOPIC} (the first write creates it if missing), loads every transactional id, completes the
     * commits and aborts that had been decided, keeps the transactions that had not open
     * (their producer, a new instance or their timeout ends them), and starts the timeout checks.
     *
     * @param logs the topics.
     * @param groups the group coordinator, whose offsets transactions commit.
     * @param config the settings.
     * @param clock the wall clock.
     */
    public TransactionCoordinator(final LogManager logs, final GroupCoordinator groups, final TransactionConfig config,
        final EpochClock clock)
    {
        this(logs, groups, config, clock, MarkerListener.NONE);
    }

    /**
     * Opens the coordinator as {@link #TransactionCoordinator(LogManager, GroupCoordinator,
     * TransactionConfig, EpochClock)} does, telling {@code listener} of every marker written,
     * those of the recovery included.
     *
     * @param logs the topics.
     * @param groups the group coordinator, whose offsets transactions commit.
     * @param config the settings.
     * @param clock the wall clock.
     * @param listener told of every marker, after it is appended.
     */
    public TransactionCoordinator(final LogManager logs, final GroupCoordinator groups, final TransactionConfig config,
        final EpochClock clock, final MarkerListener listener)
    {
        this.logs = logs;
        this.groups = groups;
        this.config = config;
        this.clock = clock;
        this.listener = listener;
        this.stateLog = new TransactionStateLog(logs, config.stateLogPartitions(), clock);
        stateLog.load().forEach((id, metadata) -> ids.put(id, new TransactionalId(metadata)));
        ids.values().forEach(this::recover);
        this.timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread thread = new Thread(r, "tidemark-transaction-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, config.abortTimedOutIntervalMs(), config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Kafka's InitProducerId with a transactional id: maps the id to a producer id (new, or the
     * one it had) and bumps the epoch, which fences every older instance; a transaction the id
     * left open is aborted first (its markers carry an epoch bumped once, the answer the epoch
     * bumped again, as Kafka's producer sees it after its retry). When the epochs of the producer
     * id run out, the id gets a new producer id at epoch 0.
     *
     * @param transactionalId the transactional id.
     * @param transactionTimeoutMs the producer's {@code transaction.timeout.ms}.
     * @param expectedOrNone the producer id and epoch the caller had, for an epoch bump of a live
     *        producer (Kafka's KIP-360), or null (producer id -1, as the request carries when
     *        the producer has none, is taken as null). A caller that repeats a bump whose
     *        answer it lost gets the same answer again.
     * @return the producer id and the new epoch.
     * @throws IllegalArgumentException if the transactional id is empty.
     * @throws io.tidemark.log.errors.InvalidTransactionTimeoutException if the timeout is out of range.
     * @throws io.tidemark.log.errors.ConcurrentTransactionsException while a previous end is being completed.
     * @throws io.tidemark.log.errors.ProducerFencedException if {@code expected} is not the current epoch.
     */
    public ProducerIdAndEpoch initProducerId(final String transactionalId, final int transactionTimeoutMs,
        final ProducerIdAndEpoch expectedOrNone)
    {
        validateId(transactionalId);
        final ProducerIdAndEpoch expected = expectedOrNone == null || expectedOrNone.producerId() == NO_PRODUCER_ID ? null : expectedOrNone;
        if (transactionTimeoutMs <= 0 || transactionTimeoutMs > config.maxTimeoutMs())
        {
            throw new InvalidTransactionTimeoutException("transaction timeout " + transactionTimeoutMs + " ms is outside 1.." +
                config.maxTimeoutMs() + " ms (transaction.max.timeout.ms)");
        }
        return withId(transactionalId, true, id ->
        {
            TransactionMetadata metadata = id.metadata;
            if (metadata == null)
            {
                final TransactionMetadata created = new TransactionMetadata(transactionalId, logs.allocateProducerId(), NO_PRODUCER_ID, (short)0,
                    NO_EPOCH, transactionTimeoutMs, TransactionState.EMPTY, Set.of(), Set.of(), -1, clock.time());
                write(id, created);
                return identity(created);
            }
            metadata = completePrepared(id);
            if (expected != null)
            {
                final boolean current = expected.producerId() == metadata.producerId() && expected.epoch() == metadata.producerEpoch();
                final boolean retried = expected.epoch() == metadata.lastProducerEpoch() && metadata.state() != TransactionState.ONGOING &&
                    (expected.producerId() == metadata.producerId() || expected.producerId() == metadata.previousProducerId());
                if (retried && !current)
                {
                    return identity(metadata);
                }
                if (!current)
                {
                    throw new ProducerFencedException("transactional id '" + transactionalId + "' has producer " + metadata.producerId() +
                        " at epoch " + metadata.producerEpoch() + ", not " + expected.producerId() + " at epoch " + expected.epoch());
                }
            }
            if (metadata.state() == TransactionState.ONGOING)
            {
                LOG.info("transactional id '{}': a new instance of producer {} aborts the transaction it left open", transactionalId,
                    metadata.producerId());
                metadata = abortWithEpochBump(id);
            }
            final short lastEpoch = expected == null ? NO_EPOCH : expected.epoch();
            final TransactionMetadata bumped;
            if (metadata.producerEpoch() >= LAST_EPOCH_BEFORE_ROTATION)
            {
                bumped = new TransactionMetadata(transactionalId, logs.allocateProducerId(), metadata.producerId(), (short)0, lastEpoch,
                    transactionTimeoutMs, TransactionState.EMPTY, Set.of(), Set.of(), -1, clock.time());
            }
            else
            {
                bumped = new TransactionMetadata(transactionalId, metadata.producerId(), metadata.previousProducerId(),
                    (short)(metadata.producerEpoch() + 1), lastEpoch, transactionTimeoutMs, TransactionState.EMPTY, Set.of(), Set.of(), -1,
                    clock.time());
            }
            write(id, bumped);
            return identity(bumped);
        });
    }

    /**
     * Kafka's AddPartitionsToTxn: records, durably, that the open transaction (begun now if
     * none is) writes to these partitions, before the producer writes to them. Adding
     * partitions already added, or none, changes nothing.
     *
     * @param transactionalId the transactional id.
     * @param producer the producer id and epoch.
     * @param partitions the partitions.
     * @throws io.tidemark.log.errors.ProducerFencedException for another epoch.
     * @throws io.tidemark.log.errors.InvalidProducerIdMappingException for another producer id
     *         or an unknown transactional id.
     * @throws io.tidemark.log.errors.ConcurrentTransactionsException while the previous end
     *         cannot be completed.
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException for a partition that
     *         does not exist; nothing is added then.
     */
    public void addPartitions(final String transactionalId, final ProducerIdAndEpoch producer, final Collection<TopicPartition> partitions)
    {
        validateId(transactionalId);
        partitions.forEach(logs::partition);
        add(transactionalId, producer, Set.copyOf(partitions), Set.of());
    }

    /**
     * Kafka's AddOffsetsToTxn: the open transaction (begun now if none is) will commit offsets
     * of {@code groupId}, in the group's partition of the offsets topic.
     *
     * @param transactionalId the transactional id.
     * @param producer the producer id and epoch.
     * @param groupId the consumer group.
     * @throws io.tidemark.log.errors.InvalidGroupIdException if the group id is empty.
     * @throws io.tidemark.log.errors.LogException as {@link #addPartitions}.
     */
    public void addOffsets(final String transactionalId, final ProducerIdAndEpoch producer, final String groupId)
    {
        validateId(transactionalId);
        groups.offsetsPartition(groupId);
        add(transactionalId, producer, Set.of(), Set.of(groupId));
    }

    /**
     * Kafka's EndTxn: records the decision durably, writes the markers to every partition the
     * transaction touched (and to the offsets of its groups), then records the completion.
     * Returns once the markers are written. Repeating the end of a completed transaction with
     * the same result succeeds, also after a restart (a retried commit, or a restarted sink
     * committing what it pre-committed); a decided end whose markers could not all be written
     * is completed by its repetition. A caller repeating an end must know that its producer
     * began no new transaction since at the same epoch: that one would be ended instead.
     *
     * @param transactionalId the transactional id.
     * @param producer the producer id and epoch.
     * @param result commit or abort.
     * @throws io.tidemark.log.errors.InvalidTxnStateException if no transaction is open, or
     *         the last one ended (or is ending) with the other result.
     * @throws io.tidemark.log.errors.ProducerFencedException for another epoch.
     * @throws io.tidemark.log.errors.InvalidProducerIdMappingException for another producer id
     *         or an unknown transactional id.
     * @throws io.tidemark.log.errors.LogStorageException if a marker cannot be written; the
     *         decision stands and is completed later.
     */
    public void endTransaction(final String transactionalId, final ProducerIdAndEpoch producer, final TransactionResult result)
    {
        validateId(transactionalId);
        withId(transactionalId, false, id ->
        {
            final TransactionMetadata metadata = current(id, transactionalId, producer);
            final TransactionState prepare = result == TransactionResult.COMMIT ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
            final TransactionState complete = result == TransactionResult.COMMIT ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
            if (metadata.state() == TransactionState.ONGOING)
            {
                write(id, metadata.in(prepare, clock.time()));
                writeMarkers(id);
            }
            else if (metadata.state() == prepare)
            {
                writeMarkers(id);
            }
            else if (metadata.state() != complete)
            {
                throw new InvalidTxnStateException("transactional id '" + transactionalId + "' cannot " + result + " in state " +
                    metadata.state().kafkaName());
            }
            return null;
        });
    }

    /**
     * For tests only: records the decision to end the open transaction as
     * {@link #endTransaction} does, and stops there, as a coordinator that crashed before its
     * markers would. Checked as {@link #endTransaction} checks.
     *
     * @param transactionalId the transactional id.
     * @param producer the producer id and epoch.
     * @param result commit or abort.
     */
    void decideOnly(final String transactionalId, final ProducerIdAndEpoch producer, final TransactionResult result)
    {
        withId(transactionalId, false, id ->
        {
            final TransactionMetadata metadata = current(id, transactionalId, producer);
            if (metadata.state() != TransactionState.ONGOING)
            {
                throw new InvalidTxnStateException("transactional id '" + transactionalId + "' has no open transaction");
            }
            write(id, metadata.in(result == TransactionResult.COMMIT ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT,
                clock.time()));
            return null;
        });
    }

    /**
     * Checks a transactional produce before it is written: the producer's epoch is current and
     * the partition is part of its open transaction. Takes no lock: a produce does not wait for
     * an end being written.
     *
     * @param transactionalId the transactional id the produce request names.
     * @param producer the batch's producer id and epoch.
     * @param partition the partition written to.
     * @throws io.tidemark.log.errors.InvalidProducerIdMappingException for another producer id
     *         or an unknown transactional id.
     * @throws io.tidemark.log.errors.ProducerFencedException for another epoch.
     * @throws io.tidemark.log.errors.ConcurrentTransactionsException while the transaction is being ended.
     * @throws io.tidemark.log.errors.InvalidTxnStateException if the partition was not added to
     *         an open transaction.
     */
    public void verifyWrite(final String transactionalId, final ProducerIdAndEpoch producer, final TopicPartition partition)
    {
        final TransactionalId id = transactionalId == null ? null : ids.get(transactionalId);
        final TransactionMetadata metadata = checked(id == null ? null : id.metadata, transactionalId, producer);
        if (metadata.state() == TransactionState.PREPARE_COMMIT || metadata.state() == TransactionState.PREPARE_ABORT)
        {
            throw new ConcurrentTransactionsException("the transaction of '" + transactionalId + "' is being ended");
        }
        if (metadata.state() != TransactionState.ONGOING || !metadata.partitions().contains(partition))
        {
            throw new InvalidTxnStateException("partition " + partition + " was not added to a transaction of '" + transactionalId + "'");
        }
    }

    /**
     * @param transactionalId the transactional id.
     * @return its description.
     * @throws io.tidemark.log.errors.TransactionalIdNotFoundException if it is not known.
     */
    public TransactionDescription describe(final String transactionalId)
    {
        final TransactionalId id = transactionalId == null ? null : ids.get(transactionalId);
        final TransactionMetadata metadata = id == null ? null : id.metadata;
        if (metadata == null)
        {
            throw new TransactionalIdNotFoundException("no transactional id '" + transactionalId + "' is known");
        }
        final SortedSet<TopicPartition> partitions = new TreeSet<>(TransactionMetadata.PARTITION_ORDER);
        partitions.addAll(metadata.partitions());
        metadata.groups().forEach(group -> partitions.add(groups.offsetsPartition(group)));
        return new TransactionDescription(transactionalId, metadata.state(), metadata.producerId(), metadata.producerEpoch(),
            metadata.timeoutMs(), metadata.startTimeMs(), List.copyOf(partitions));
    }

    /**
     * Kafka's ListTransactions.
     *
     * @param states only these states; empty for all.
     * @param producerIds only these producer ids; empty for all.
     * @param minDurationMs only transactions open longer than this, as Kafka's duration
     *        filter; -1 for all.
     * @return the matching transactional ids, sorted by id.
     */
    public List<TransactionListing> list(final Set<TransactionState> states, final Set<Long> producerIds, final long minDurationMs)
    {
        final long now = clock.time();
        final List<TransactionListing> listed = new ArrayList<>();
        for (final TransactionalId id : ids.values())
        {
            final TransactionMetadata metadata = id.metadata;
            if (metadata != null && (states.isEmpty() || states.contains(metadata.state())) &&
                (producerIds.isEmpty() || producerIds.contains(metadata.producerId())) &&
                (minDurationMs < 0 || metadata.startTimeMs() >= 0 && now - metadata.startTimeMs() > minDurationMs))
            {
                listed.add(new TransactionListing(metadata.transactionalId(), metadata.producerId(), metadata.state()));
            }
        }
        listed.sort(Comparator.comparing(TransactionListing::transactionalId));
        return listed;
    }

    /**
     * @return the settings, such as the longest transaction timeout a producer may ask for.
     */
    public TransactionConfig config()
    {
        return config;
    }

    /**
     * Stops the timeout checks, letting a check under way finish (an interrupt in the middle of
     * a marker's write would close the partition's file under its other users).
     */
    @Override
    public void close()
    {
        timer.shutdown();
        try
        {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void add(final String transactionalId, final ProducerIdAndEpoch producer, final Set<TopicPartition> partitions,
        final Set<String> groupIds)
    {
        withId(transactionalId, false, id ->
        {
            current(id, transactionalId, producer);
            final TransactionMetadata metadata = completePrepared(id);
            if (!metadata.partitions().containsAll(partitions) || !metadata.groups().containsAll(groupIds))
            {
                write(id, metadata.adding(partitions, groupIds, clock.time()));
            }
            return null;
        });
    }

    /** Runs {@code action} under the lock of the id, looking it up again if it expired meanwhile. */
    private <T> T withId(final String transactionalId, final boolean create, final Function<TransactionalId, T> action)
    {
        while (true)
        {
            final TransactionalId id = create ? ids.computeIfAbsent(transactionalId, k -> new TransactionalId(null)) : ids.get(transactionalId);
            if (id == null)
            {
                throw unknown(transactionalId);
            }
            synchronized (id)
            {
                if (!id.forgotten)
                {
                    return action.apply(id);
                }
            }
        }
    }

    private static TransactionMetadata current(final TransactionalId id, final String transactionalId, final ProducerIdAndEpoch producer)
    {
        return checked(id.metadata, transactionalId, producer);
    }

    private static TransactionMetadata checked(final TransactionMetadata metadata, final String transactionalId,
        final ProducerIdAndEpoch producer)
    {
        if (metadata == null)
        {
            throw unknown(transactionalId);
        }
        if (metadata.producerId() != producer.producerId())
        {
            throw new InvalidProducerIdMappingException("transactional id '" + transactionalId + "' is mapped to producer " +
                metadata.producerId() + ", not " + producer.producerId());
        }
        if (metadata.producerEpoch() != producer.epoch())
        {
            throw new ProducerFencedException("producer " + producer.producerId() + " of transactional id '" + transactionalId +
                "' is at epoch " + metadata.producerEpoch() + ": epoch " + producer.epoch() + " is fenced");
        }
        return metadata;
    }

    private static InvalidProducerIdMappingException unknown(final String transactionalId)
    {
        return new InvalidProducerIdMappingException("transactional id '" + transactionalId + "' is not known: InitProducerId first");
    }

    private static void validateId(final String transactionalId)
    {
        if (transactionalId == null || transactionalId.isEmpty())
        {
            throw new IllegalArgumentException("a transactional id must not be empty");
        }
    }

    private static ProducerIdAndEpoch identity(final TransactionMetadata metadata)
    {
        return new ProducerIdAndEpoch(metadata.producerId(), metadata.producerEpoch());
    }

    /** Writes a state durably, then makes it the id's. Called under the id's lock. */
    private void write(final TransactionalId id, final TransactionMetadata metadata)
    {
        stateLog.write(metadata);
        id.metadata = metadata;
    }

    /** Completes an end that was decided but whose markers are not all written. Called under the id's lock. */
    private TransactionMetadata completePrepared(final TransactionalId id)
    {
        final TransactionState state = id.metadata.state();
        if (state == TransactionState.PREPARE_COMMIT || state == TransactionState.PREPARE_ABORT)
        {
            try
            {
                writeMarkers(id);
            }
            catch (final RuntimeException e)
            {
                throw new ConcurrentTransactionsException("the end of the previous transaction of '" + id.metadata.transactionalId() +
                    "' is still being written: " + e.getMessage());
            }
        }
        return id.metadata;
    }

    /**
     * Aborts the open transaction on the coordinator's own decision: bumps the epoch, which
     * fences the producer, and writes the markers with it. Called under the id's lock.
     */
    private TransactionMetadata abortWithEpochBump(final TransactionalId id)
    {
        final TransactionMetadata open = id.metadata;
        write(id, open.withEpoch((short)(open.producerEpoch() + 1), NO_EPOCH).in(TransactionState.PREPARE_ABORT, clock.time()));
        writeMarkers(id);
        return id.metadata;
    }

    /** Writes the markers of the decided end, then records its completion. Called under the id's lock. */
    private void writeMarkers(final TransactionalId id)
    {
        final TransactionMetadata prepared = id.metadata;
        final boolean commit = prepared.state() == TransactionState.PREPARE_COMMIT;
        final TransactionMarker marker = new TransactionMarker(prepared.producerId(), prepared.producerEpoch(), COORDINATOR_EPOCH,
            commit ? TransactionResult.COMMIT : TransactionResult.ABORT);
        for (final TopicPartition partition : prepared.partitions())
        {
            final PartitionLog log;
            try
            {
                log = logs.partition(partition);
            }
            catch (final UnknownTopicOrPartitionException e)
            {
                LOG.info("transactional id '{}': no {} marker for {}, whose topic was deleted", prepared.transactionalId(),
                    marker.result(), partition);
                continue;
            }
            log.appendMarker(marker);
            listener.markerWritten(partition, MARKER_BATCH_BYTES);
        }
        for (final String group : prepared.groups())
        {
            groups.completeTransaction(group, marker);
            listener.markerWritten(groups.offsetsPartition(group), MARKER_BATCH_BYTES);
        }
        write(id, prepared.completed(commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT, clock.time()));
    }

    /**
     * Completes, at start, the ends the last run decided. An Ongoing transaction is left open:
     * aborting it here would throw away what its producer may still commit (Kafka keeps it too).
     */
    private void recover(final TransactionalId id)
    {
        synchronized (id)
        {
            final TransactionMetadata metadata = id.metadata;
            try
            {
                switch (metadata.state())
                {
                    case PREPARE_COMMIT, PREPARE_ABORT ->
                    {
                        LOG.info("transactional id '{}': completing the {} decided before the restart", metadata.transactionalId(),
                            metadata.state().kafkaName());
                        writeMarkers(id);
                    }
                    case PREPARE_EPOCH_FENCE ->
                    {
                        // The epoch was already bumped to fence the producer: abort with it.
                        write(id, metadata.in(TransactionState.PREPARE_ABORT, clock.time()));
                        writeMarkers(id);
                    }
                    case ONGOING -> LOG.info("transactional id '{}': the transaction of producer {} (epoch {}) open before the restart " +
                        "stays open; its timeout aborts it in {} ms", metadata.transactionalId(), metadata.producerId(),
                        metadata.producerEpoch(), Math.max(0, metadata.startTimeMs() + metadata.timeoutMs() - clock.time()));
                    default ->
                    {
                        // Nothing open.
                    }
                }
            }
            catch (final RuntimeException e)
            {
                LOG.error("transactional id '{}': cannot end its transaction at start; the timeout check retries it", metadata.transactionalId(), e);
            }
        }
    }

    /**
     * What an open transaction costs its readers, for the log: per partition, how many records
     * (log end offset minus last stable offset) read-committed consumers cannot see yet.
     */
    private String heldBack(final TransactionMetadata metadata)
    {
        if (metadata.partitions().isEmpty())
        {
            return "no partition";
        }
        final StringBuilder text = new StringBuilder("the last stable offset of");
        for (final TopicPartition partition : metadata.partitions())
        {
            try
            {
                final PartitionLog log = logs.partition(partition);
                text.append(' ').append(partition).append(" by ").append(log.logEndOffset() - log.lastStableOffset()).append(',');
            }
            catch (final LogException e)
            {
                text.append(' ').append(partition).append(" (").append(e.getMessage()).append("),");
            }
        }
        text.setLength(text.length() - 1);
        return text.append(" records").toString();
    }

    /** The periodic check: aborts timed-out transactions, retries ends not completed, forgets ids long unused. */
    private void check()
    {
        for (final TransactionalId id : ids.values())
        {
            try
            {
                checkOne(id);
            }
            catch (final RuntimeException | Error e)
            {
                // An Error too: one escaping would end the periodic check for good (a scheduled task
                // that throws is not run again), leaving every later timeout unenforced.
                LOG.error("the timeout check of transactional id '{}' failed; it is checked again in {} ms",
                    id.metadata == null ? "?" : id.metadata.transactionalId(), config.abortTimedOutIntervalMs(), e);
            }
        }
    }

    private void checkOne(final TransactionalId id)
    {
        synchronized (id)
        {
            final TransactionMetadata metadata = id.metadata;
            if (id.forgotten || metadata == null)
            {
                return;
            }
            final long now = clock.time();
            switch (metadata.state())
            {
                case ONGOING ->
                {
                    final long age = now - metadata.startTimeMs();
                    if (age > metadata.timeoutMs())
                    {
                        LOG.warn("transactional id '{}': aborting the transaction of producer {} (epoch {}), open for {} ms, longer than its " +
                            "timeout of {} ms; it held back {}; groups: {}", metadata.transactionalId(), metadata.producerId(),
                            metadata.producerEpoch(), age, metadata.timeoutMs(), heldBack(metadata), metadata.groups());
                        abortWithEpochBump(id);
                    }
                    else if (age >= Math.min(LONG_OPEN_MS, metadata.timeoutMs() / 2) && id.reportedLongOpen != metadata.startTimeMs())
                    {
                        id.reportedLongOpen = metadata.startTimeMs();
                        LOG.warn("transactional id '{}': the transaction of producer {} has been open for {} ms and holds back {}; " +
                            "it is aborted at its timeout, in {} ms", metadata.transactionalId(), metadata.producerId(), age,
                            heldBack(metadata), metadata.timeoutMs() - age);
                    }
                }
                case PREPARE_COMMIT, PREPARE_ABORT ->
                {
                    // Left by a marker that could not be written: retried at the pace of the checks, not in a loop on a failing disk.
                    if (now - metadata.lastUpdateMs() >= config.abortTimedOutIntervalMs())
                    {
                        writeMarkers(id);
                    }
                }
                case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT ->
                {
                    if (now - metadata.lastUpdateMs() >= config.idExpirationMs())
                    {
                        stateLog.forget(metadata.transactionalId());
                        id.forgotten = true;
                        ids.remove(metadata.transactionalId(), id);
                        LOG.info("transactional id '{}' (producer {}) expired: unused for {} ms", metadata.transactionalId(),
                            metadata.producerId(), now - metadata.lastUpdateMs());
                    }
                }
                default ->
                {
                    // PREPARE_EPOCH_FENCE and DEAD are never an id's current state after the start.
                }
            }
        }
    }
}
