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

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.NoOffsetForPartitionException;
import io.tidemark.log.errors.OffsetOutOfRangeException;
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
 * <p>This consumer is assigned its partitions ({@link #assign}); joining a consumer group is
 * built on top of it. Like Kafka's, it is for one thread.
 */
public final class Consumer implements AutoCloseable
{
    private final LogManager logs;
    private final ConsumerConfig config;
    private final Map<TopicPartition, PartitionLog> assigned = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Set<TopicPartition> paused = new LinkedHashSet<>();
    private final RecordBatchCursor cursor = new RecordBatchCursor();
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
    private int nextPartition;
    private boolean closed;

    /**
     * @param logs the log manager to read from.
     * @param config the settings.
     */
    public Consumer(final LogManager logs, final ConsumerConfig config)
    {
        this.logs = logs;
        this.config = config;
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

    private void fetch(final TopicPartition partition, final List<ConsumerRecord> out)
    {
        final PartitionLog log = assigned.get(partition);
        long position = position(partition);
        final long end = log.logEndOffset();
        if (position > end)
        {
            positions.put(partition, reset(partition, log, "position " + position + " is past the log end " + end));
            return;
        }
        if (position == end)
        {
            return;
        }
        final ByteBuffer bytes;
        try
        {
            bytes = log.read(position, config.fetchMaxBytes()).buffer();
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
        cursor.wrap(bytes, config.checkCrcs());
        while (out.size() < config.maxPollRecords() && cursor.next())
        {
            final RecordBatch batch = cursor.batch();
            if (batch.isControl())
            {
                position = batch.lastOffset() + 1; // transaction markers are not for the application
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
     */
    public long position(final TopicPartition partition)
    {
        final PartitionLog log = log(partition);
        final Long position = positions.get(partition);
        if (position != null)
        {
            return position;
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

    /** Releases the assignment. */
    @Override
    public void close()
    {
        closed = true;
        assigned.clear();
        positions.clear();
        paused.clear();
    }
}
