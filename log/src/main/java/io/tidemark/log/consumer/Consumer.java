package io.tidemark.log.consumer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.CommitFailedException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.NoOffsetForPartitionException;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import io.tidemark.log.errors.RebalanceInProgressException;
import io.tidemark.log.errors.UnstableOffsetCommitException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.topic.LogManager;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Reads records from partitions of a {@link LogManager} in this process, as Kafka's consumer
 * reads them from a broker: a position per assigned partition, {@link #poll} returns the
 * records from the positions on and moves them past what it returned. Reading never deletes:
 * {@link #seek} back and the same records come again.
 *
 * <p>It is either assigned its partitions ({@link #assign}) or subscribes to topics as a member
 * of a consumer group ({@link #subscribe}), when the group's coordinator decides which
 * partitions it reads; a background thread keeps its membership alive with heartbeats, while
 * rebalances happen inside {@link #poll}. With a {@code group.id}, positions start from the
 * group's committed offsets, and {@link #commitSync} records new ones. Like Kafka's, it is
 * for one thread.
 *
 * <p>With {@code isolation.level=read_committed} it reads only up to each partition's last
 * stable offset and skips the records of aborted transactions; a member's starting position
 * waits for a transaction that committed offsets of the group to end (Kafka's
 * {@code require_stable}), so it never starts from an offset that transaction replaces.
 */
public final class Consumer implements AutoCloseable
{
    /** Kafka's {@code default.api.timeout.ms}: how long a blocking call without a timeout waits. */
    private static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(60);

    private final LogManager logs;
    private final GroupCoordinator coordinator;
    private final ConsumerConfig config;
    private GroupMembership membership;
    private ConsumerRebalanceListener listener = ConsumerRebalanceListener.NONE;
    private boolean manuallyAssigned;
    private long nextAutoCommitNanos;
    private final Map<TopicPartition, PartitionLog> assigned = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Set<TopicPartition> paused = new LinkedHashSet<>();
    private final RecordBatchCursor cursor = new RecordBatchCursor();
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
    /** Read-committed fetches: skips the batches of aborted transactions. */
    private final AbortedTransactionFilter abortedFilter = new AbortedTransactionFilter();
    private final boolean readCommitted;
    private int nextPartition;
    private boolean closed;

    /**
     * @param logs the log manager to read from.
     * @param config the settings.
     */
    public Consumer(final LogManager logs, final ConsumerConfig config)
    {
        this(logs, null, config);
    }

    /**
     * @param logs the log manager to read from.
     * @param coordinator the group coordinator, for {@link #subscribe} and committed offsets;
     *        null if neither is used.
     * @param config the settings.
     */
    public Consumer(final LogManager logs, final GroupCoordinator coordinator, final ConsumerConfig config)
    {
        this.logs = logs;
        this.coordinator = coordinator;
        this.config = config;
        this.readCommitted = config.isolationLevel() == IsolationLevel.READ_COMMITTED;
        this.nextAutoCommitNanos = System.nanoTime() + config.autoCommitIntervalMs() * 1_000_000L;
    }

    /**
     * Joins the consumer group to read these topics: the group's assignor gives this consumer
     * a share of their partitions, and the share changes as members come and go, each change
     * told to {@code listener}. Partitions start at the group's committed offsets, or per
     * {@code auto.offset.reset} where there are none. The group is joined in {@link #poll}.
     *
     * @param topics the topics; a topic that does not exist yet is skipped by the assignor.
     * @param listener told of revoked and assigned partitions.
     * @throws IllegalStateException if there is no {@code group.id} or coordinator, or the
     *         consumer was assigned partitions by hand.
     */
    public void subscribe(final Collection<String> topics, final ConsumerRebalanceListener listener)
    {
        ensureOpen();
        if (config.groupId() == null || coordinator == null)
        {
            throw new IllegalStateException("subscribe needs a group.id and a group coordinator; use assign otherwise");
        }
        if (manuallyAssigned)
        {
            throw new IllegalStateException("this consumer was assigned partitions by hand; it cannot also subscribe");
        }
        if (membership == null)
        {
            membership = new GroupMembership(coordinator, logs, config);
        }
        this.listener = listener;
        membership.subscribe(List.copyOf(topics));
    }

    /**
     * @return this consumer's group, generation and member id; generation -1 and member ""
     *         when it is not (yet) an active member.
     */
    public ConsumerGroupMetadata groupMetadata()
    {
        return membership != null ? membership.metadata() : new ConsumerGroupMetadata(config.groupId(), -1, "");
    }

    /**
     * {@link #subscribe(Collection, ConsumerRebalanceListener)} without a listener.
     *
     * @param topics the topics.
     */
    public void subscribe(final Collection<String> topics)
    {
        subscribe(topics, ConsumerRebalanceListener.NONE);
    }

    /**
     * Reads these partitions from now on, and no others. Positions of partitions kept are
     * kept; new partitions start per {@code auto.offset.reset} at the first poll.
     *
     * @param partitions the partitions.
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException if one does not exist.
     */
    public void assign(final Collection<TopicPartition> partitions)
    {
        ensureOpen();
        if (membership != null)
        {
            throw new IllegalStateException("this consumer subscribed to topics; the group assigns its partitions");
        }
        manuallyAssigned = true;
        assignPartitions(partitions);
    }

    private void assignPartitions(final Collection<TopicPartition> partitions)
    {
        final Map<TopicPartition, PartitionLog> next = new LinkedHashMap<>();
        for (final TopicPartition partition : partitions)
        {
            next.put(partition, logs.partition(partition));
        }
        assigned.clear();
        assigned.putAll(next);
        positions.keySet().retainAll(next.keySet());
        paused.retainAll(next.keySet());
    }

    /**
     * @return the assigned partitions.
     */
    public Set<TopicPartition> assignment()
    {
        return Collections.unmodifiableSet(assigned.keySet());
    }

    /**
     * Returns records from the positions on, at most {@code max.poll.records}, waiting up to
     * {@code timeout} for some to arrive. Partitions take turns, so none starves the others.
     *
     * @param timeout how long to wait when no record is there.
     * @return the records, in offset order within each partition; empty if none came.
     * @throws NoOffsetForPartitionException if a partition has no position and
     *         {@code auto.offset.reset=none}.
     */
    public List<ConsumerRecord> poll(final Duration timeout)
    {
        ensureOpen();
        final long deadline = System.nanoTime() + timeout.toNanos();
        if (membership != null)
        {
            membership.polled();
            membership.checkMetadata();
            if (!ensureActiveMembership(deadline))
            {
                return List.of();
            }
        }
        maybeAutoCommit();
        final List<ConsumerRecord> records = new ArrayList<>();
        idle.reset();
        while (true)
        {
            final List<TopicPartition> order = new ArrayList<>(assigned.keySet());
            for (int i = 0; i < order.size() && records.size() < config.maxPollRecords(); i++)
            {
                final TopicPartition partition = order.get((nextPartition + i) % order.size());
                if (!paused.contains(partition))
                {
                    fetch(partition, records);
                }
            }
            nextPartition++;
            if (!records.isEmpty() || System.nanoTime() - deadline >= 0)
            {
                return records;
            }
            idle.idle();
        }
    }

    /** Takes part in a rebalance if one is due: revokes, rejoins, and takes up the new assignment. */
    private boolean ensureActiveMembership(final long deadline)
    {
        while (true)
        {
            if (membership.needsRejoin())
            {
                final List<TopicPartition> owned = List.copyOf(assigned.keySet());
                if (!owned.isEmpty())
                {
                    if (membership.lost())
                    {
                        listener.onPartitionsLost(owned);
                    }
                    else
                    {
                        if (config.enableAutoCommit())
                        {
                            commitQuietly();
                        }
                        listener.onPartitionsRevoked(owned);
                    }
                    assignPartitions(List.of());
                }
                membership.startJoin(owned);
            }
            final List<TopicPartition> partitions = membership.awaitAssignment(deadline);
            if (partitions != null)
            {
                assignPartitions(partitions.stream().filter(this::exists).toList());
                listener.onPartitionsAssigned(List.copyOf(assigned.keySet()));
            }
            if (membership.isActive() && !membership.needsRejoin())
            {
                return true;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
        }
    }

    private boolean exists(final TopicPartition partition)
    {
        try
        {
            logs.partition(partition);
            return true;
        }
        catch (final UnknownTopicOrPartitionException e)
        {
            return false; // deleted since the leader assigned it
        }
    }

    private void maybeAutoCommit()
    {
        if (config.enableAutoCommit() && config.groupId() != null && coordinator != null &&
            System.nanoTime() - nextAutoCommitNanos >= 0)
        {
            nextAutoCommitNanos = System.nanoTime() + config.autoCommitIntervalMs() * 1_000_000L;
            commitQuietly();
        }
    }

    /** Auto-commit: a failure is repaired by the next rebalance, so it is not the caller's concern. */
    private void commitQuietly()
    {
        try
        {
            commitSync();
        }
        catch (final CommitFailedException | RebalanceInProgressException e)
        {
            // the records since the last commit will be read again by the partitions' next owner
        }
    }

    /**
     * Commits the positions of every owned partition: what the last polls returned counts as
     * processed.
     *
     * @throws CommitFailedException if the group rebalanced without this consumer.
     * @throws RebalanceInProgressException if the group is assigning partitions; poll, then retry.
     */
    public void commitSync()
    {
        ensureOpen();
        commitSync(currentOffsets());
    }

    /** The positions of the owned partitions that have one: what the polls so far returned. */
    private Map<TopicPartition, OffsetAndMetadata> currentOffsets()
    {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (final TopicPartition partition : assigned.keySet())
        {
            final Long position = positions.get(partition);
            if (position != null)
            {
                offsets.put(partition, OffsetAndMetadata.of(position));
            }
        }
        return offsets;
    }

    /**
     * Commits these offsets for the group, durably.
     *
     * @param offsets the offset of the next record to read, per partition.
     * @throws IllegalStateException without {@code group.id} or coordinator.
     * @throws CommitFailedException if the group rebalanced without this consumer.
     * @throws RebalanceInProgressException if the group is assigning partitions; poll, then retry.
     */
    public void commitSync(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        ensureOpen();
        ensureGroup();
        if (membership != null)
        {
            membership.commit(offsets);
        }
        else
        {
            coordinator.commitOffsets(config.groupId(), -1, "", offsets);
        }
    }

    /**
     * Commits the positions of every owned partition and tells {@code callback} the outcome.
     * The coordinator is in this process, so the commit is done, and the callback has run,
     * when this returns; errors go to the callback, not to the caller.
     *
     * @param callback told the outcome.
     */
    public void commitAsync(final OffsetCommitCallback callback)
    {
        ensureOpen();
        commitAsync(currentOffsets(), callback);
    }

    /**
     * Commits these offsets and tells {@code callback} the outcome (see {@link #commitAsync(OffsetCommitCallback)}).
     *
     * @param offsets the offsets.
     * @param callback told the outcome.
     */
    public void commitAsync(final Map<TopicPartition, OffsetAndMetadata> offsets, final OffsetCommitCallback callback)
    {
        Exception error = null;
        try
        {
            commitSync(offsets);
        }
        catch (final LogException | IllegalStateException e)
        {
            error = e;
        }
        callback.onComplete(offsets, error);
    }

    /**
     * {@link #committed(Collection, Duration)} waiting at most Kafka's {@code default.api.timeout.ms}, 60 s.
     *
     * @param partitions partitions, assigned or not.
     * @return the group's committed offsets of those that have one.
     */
    public Map<TopicPartition, OffsetAndMetadata> committed(final Collection<TopicPartition> partitions)
    {
        return committed(partitions, DEFAULT_API_TIMEOUT);
    }

    /**
     * The group's committed offsets. A read-committed consumer does not answer with an offset
     * that an open transaction is replacing: it waits for the transaction to end.
     *
     * @param partitions partitions, assigned or not.
     * @param timeout how long to wait for open transactions to end.
     * @return the group's committed offsets of those that have one.
     * @throws UnstableOffsetCommitException if a transaction still holds offsets of one of
     *         them after {@code timeout}.
     */
    public Map<TopicPartition, OffsetAndMetadata> committed(final Collection<TopicPartition> partitions, final Duration timeout)
    {
        ensureOpen();
        ensureGroup();
        final long deadline = System.nanoTime() + timeout.toNanos();
        idle.reset();
        while (true)
        {
            final Map<TopicPartition, OffsetAndMetadata> committed = stableCommitted(partitions);
            if (committed != null)
            {
                return committed;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                throw new UnstableOffsetCommitException("group '" + config.groupId() + "': an open transaction still commits offsets of " +
                    partitions + " after " + timeout.toMillis() + " ms");
            }
            idle.idle();
        }
    }

    /**
     * @return the committed offsets, or null while a read-committed consumer must wait for
     *         a transaction that commits offsets of these partitions.
     */
    private Map<TopicPartition, OffsetAndMetadata> stableCommitted(final Collection<TopicPartition> partitions)
    {
        if (readCommitted)
        {
            final Set<TopicPartition> pending = coordinator.pendingTransactionalOffsets(config.groupId());
            for (final TopicPartition partition : partitions)
            {
                if (pending.contains(partition))
                {
                    return null;
                }
            }
        }
        return coordinator.fetchOffsets(config.groupId(), partitions);
    }

    private void ensureGroup()
    {
        if (config.groupId() == null || coordinator == null)
        {
            throw new IllegalStateException("committed offsets need a group.id and a group coordinator");
        }
    }

    private void fetch(final TopicPartition partition, final List<ConsumerRecord> out)
    {
        final PartitionLog log = assigned.get(partition);
        final Long known = positions.get(partition);
        long position = known != null ? known : initialPosition(partition, log);
        if (position < 0)
        {
            return; // its committed offset waits on an open transaction: poll again until its deadline
        }
        final long end = log.logEndOffset();
        if (position > end)
        {
            positions.put(partition, reset(partition, log, "position " + position + " is past the log end " + end));
            return;
        }
        final long limit = readCommitted ? log.lastStableOffset() : end;
        if (position >= limit)
        {
            return;
        }
        final ByteBuffer bytes;
        try
        {
            bytes = (readCommitted ? log.read(position, config.fetchMaxBytes(), limit) : log.read(position, config.fetchMaxBytes())).buffer();
        }
        catch (final OffsetOutOfRangeException e)
        {
            positions.put(partition, reset(partition, log, "position " + position + " is no longer in the log"));
            return;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot read " + partition + ": " + e.getMessage(), e);
        }
        // Kafka's read-committed fetch: per producer, the batches from an aborted transaction's
        // first offset up to its abort marker are skipped; the position still moves past them.
        if (readCommitted)
        {
            abortedFilter.start(log.abortedTransactions(position, limit));
        }
        cursor.wrap(bytes, config.checkCrcs());
        while (out.size() < config.maxPollRecords() && cursor.next())
        {
            final RecordBatch batch = cursor.batch();
            if (readCommitted && abortedFilter.aborts(batch))
            {
                position = Math.max(position, batch.lastOffset() + 1);
                continue;
            }
            if (batch.isControl())
            {
                position = Math.max(position, batch.lastOffset() + 1); // transaction markers are not for the application
                continue;
            }
            final Record record = batch.records();
            while (out.size() < config.maxPollRecords() && record.next())
            {
                if (record.offset() >= position)
                {
                    out.add(new ConsumerRecord(partition, record.offset(), record.timestamp(), record.key(), record.value(),
                        record.headerCount() == 0 ? List.of() : record.headers()));
                    position = record.offset() + 1;
                }
            }
            if (out.size() < config.maxPollRecords())
            {
                position = Math.max(position, batch.lastOffset() + 1);
            }
        }
        positions.put(partition, position);
    }

    /**
     * The offset of the next record {@link #poll} will return from a partition, choosing it
     * per {@code auto.offset.reset} if there is none yet.
     *
     * @param partition an assigned partition.
     * @return the position.
     * @throws NoOffsetForPartitionException if there is none and the reset policy is none.
     * @throws UnstableOffsetCommitException if a read-committed consumer's committed offset
     *         waits on an open transaction for longer than 60 s.
     */
    public long position(final TopicPartition partition)
    {
        final PartitionLog log = log(partition);
        final Long position = positions.get(partition);
        if (position != null)
        {
            return position;
        }
        long initial = initialPosition(partition, log);
        while (initial < 0)
        {
            committed(List.of(partition)); // waits, as Kafka's does, for the transaction holding its offset to end
            initial = initialPosition(partition, log);
        }
        return initial;
    }

    /**
     * Sets the position of a partition that has none: the group's committed offset, else per
     * {@code auto.offset.reset}.
     *
     * @return the position, or -1 while a read-committed consumer's committed offset waits
     *         on an open transaction.
     */
    private long initialPosition(final TopicPartition partition, final PartitionLog log)
    {
        if (config.groupId() != null && coordinator != null)
        {
            final Map<TopicPartition, OffsetAndMetadata> stable = stableCommitted(List.of(partition));
            if (stable == null)
            {
                return -1;
            }
            final OffsetAndMetadata committed = stable.get(partition);
            if (committed != null)
            {
                positions.put(partition, committed.offset());
                return committed.offset();
            }
        }
        final long reset = reset(partition, log, "no position yet");
        positions.put(partition, reset);
        return reset;
    }

    private long reset(final TopicPartition partition, final PartitionLog log, final String why)
    {
        return switch (config.autoOffsetReset())
        {
            case EARLIEST -> log.logStartOffset();
            case LATEST -> log.logEndOffset();
            case NONE -> throw new NoOffsetForPartitionException(partition + ": " + why + " and auto.offset.reset=none; seek first");
        };
    }

    /**
     * Moves a partition's position: the next poll returns records from {@code offset} on.
     *
     * @param partition an assigned partition.
     * @param offset the offset; one outside the log is reset per {@code auto.offset.reset}
     *        at the next poll.
     */
    public void seek(final TopicPartition partition, final long offset)
    {
        log(partition);
        if (offset < 0)
        {
            throw new IllegalArgumentException("cannot seek " + partition + " to the negative offset " + offset);
        }
        positions.put(partition, offset);
    }

    /**
     * Moves partitions to their log start offsets: history is replayed.
     *
     * @param partitions assigned partitions.
     */
    public void seekToBeginning(final Collection<TopicPartition> partitions)
    {
        for (final TopicPartition partition : partitions)
        {
            positions.put(partition, log(partition).logStartOffset());
        }
    }

    /**
     * Moves partitions to their log end offsets: only new records will come.
     *
     * @param partitions assigned partitions.
     */
    public void seekToEnd(final Collection<TopicPartition> partitions)
    {
        for (final TopicPartition partition : partitions)
        {
            positions.put(partition, log(partition).logEndOffset());
        }
    }

    /**
     * Finds, per partition, the first record at or after a time.
     *
     * @param timestamps the time to look up for each partition (assigned or not).
     * @return per partition, the record found, or null if none is that late.
     */
    public Map<TopicPartition, TimestampOffset> offsetsForTimes(final Map<TopicPartition, Long> timestamps)
    {
        final Map<TopicPartition, TimestampOffset> found = new LinkedHashMap<>();
        timestamps.forEach((partition, timestamp) -> found.put(partition, logs.partition(partition).offsetForTimestamp(timestamp)));
        return found;
    }

    /**
     * Stops returning records from partitions, keeping their positions.
     *
     * @param partitions assigned partitions.
     */
    public void pause(final Collection<TopicPartition> partitions)
    {
        partitions.forEach(this::log);
        paused.addAll(partitions);
    }

    /**
     * Returns records from paused partitions again.
     *
     * @param partitions partitions to resume.
     */
    public void resume(final Collection<TopicPartition> partitions)
    {
        paused.removeAll(partitions);
    }

    /**
     * @return the paused partitions.
     */
    public Set<TopicPartition> paused()
    {
        return Collections.unmodifiableSet(paused);
    }

    private PartitionLog log(final TopicPartition partition)
    {
        ensureOpen();
        final PartitionLog log = assigned.get(partition);
        if (log == null)
        {
            throw new IllegalStateException(partition + " is not assigned to this consumer; assigned: " + assigned.keySet());
        }
        return log;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the consumer is closed");
        }
    }

    /**
     * Leaves the group, if subscribed, committing first if auto-commit is on, and releases the
     * assignment.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (membership != null)
        {
            if (membership.isActive())
            {
                if (config.enableAutoCommit())
                {
                    commitQuietly();
                }
                listener.onPartitionsRevoked(List.copyOf(assigned.keySet()));
            }
            membership.close();
        }
        closed = true;
        assigned.clear();
        positions.clear();
        paused.clear();
    }
}
