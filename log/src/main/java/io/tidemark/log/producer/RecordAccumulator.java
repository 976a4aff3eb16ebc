package io.tidemark.log.producer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.BufferExhaustedException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.record.CompressionCodec;
import io.tidemark.log.record.Header;
import io.tidemark.log.record.RecordBatchLayout;

/**
 * Gathers sent records into one open batch per partition and tells the sender which batches
 * are ready: full ones at once, others when they have lingered {@code linger.ms}, all of them
 * on flush or close. With {@code linger.ms=0} a batch is ready as soon as it holds a record,
 * yet batches still grow while the sender is busy with the previous one: the batching adapts
 * to the load.
 */
final class RecordAccumulator
{
    /** The first guess of what a direct write costs, before one has been measured. */
    private static final long INITIAL_DIRECT_COST_NS = 20_000;

    private final long lingerNs;
    private final Partitioner partitioner;
    private final long bufferMemory;
    private final long maxBlockNs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition spaceFreed = lock.newCondition();
    private final int poolableSize;
    private final CompressionCodec compression;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** Bytes of batches not yet answered; pooled free buffers are not counted. */
    private long allocated;
    private final Map<TopicPartition, ProducerBatch> open = new HashMap<>();
    private final ArrayDeque<ProducerBatch> ready = new ArrayDeque<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private boolean closing;
    /** When the last send returned to its caller. */
    private long lastSendNs;
    /** A moving average of what a direct write costs the calling thread. */
    private long directCostNs = INITIAL_DIRECT_COST_NS;

    RecordAccumulator(final long lingerMs, final Partitioner partitioner, final long bufferMemory, final long maxBlockMs,
        final int poolableSize, final CompressionCodec compression)
    {
        this.poolableSize = poolableSize;
        this.compression = compression;
        this.lingerNs = TimeUnit.MILLISECONDS.toNanos(lingerMs);
        this.partitioner = partitioner;
        this.bufferMemory = bufferMemory;
        this.maxBlockNs = TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
    }

    /**
     * Adds a record to its partition's open batch, starting a new batch when it is full.
     *
     * @param batchCapacity the bytes a new batch may fill (grown for a record larger than it).
     * @throws IllegalStateException if the producer is closing.
     * @throws BufferExhaustedException if a new batch found no room in {@code buffer.memory}
     *         within {@code max.block.ms}.
     * @throws RecordTooLargeException if the record alone is larger than {@code buffer.memory}.
     */
    void append(final TopicPartition topicPartition, final PartitionLog log, final int batchCapacity, final long timestamp, final byte[] key,
        final byte[] value, final Header[] headers, final CompletableFuture<RecordMetadata> future, final Callback callback)
    {
        lock.lock();
        try
        {
            if (closing)
            {
                throw new IllegalStateException("the producer is closed");
            }
            lastSendNs = System.nanoTime();
            ProducerBatch batch = open.get(topicPartition);
            if (batch != null && batch.tryAppend(timestamp, key, value, headers, future, callback))
            {
                return;
            }
            if (batch != null)
            {
                open.remove(topicPartition);
                ready.add(batch);
                partitioner.onBatchComplete(topicPartition.topic(), topicPartition.partition());
                changed.signalAll();
            }
            batch = newBatch(topicPartition, log, batchCapacity, timestamp, key, value, headers, future, callback);
            open.put(topicPartition, batch);
            if (open.size() == 1)
            {
                changed.signalAll(); // the sender may be waiting with nothing to time
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Lets the calling thread write a record itself, skipping the hand-off to the sender, when
     * that cannot cost batching: nothing is open, queued or being written, and the sends are
     * sparse: the caller spent at least half a direct write's cost elsewhere since its last
     * send returned. A loop sending back to back spends far less than that between sends, so
     * its records still batch. A single record then reaches the log without waking the sender
     * thread, which is most of a round trip.
     *
     * @return the record in a batch of its own, counted as incomplete, for the caller to
     *         send and then report with {@link #completed}; or null to append it normally.
     */
    ProducerBatch tryDirect(final TopicPartition topicPartition, final PartitionLog log, final int batchCapacity, final long timestamp,
        final byte[] key, final byte[] value, final Header[] headers, final CompletableFuture<RecordMetadata> future,
        final Callback callback)
    {
        lock.lock();
        try
        {
            final long now = System.nanoTime();
            if (closing || now - lastSendNs < directCostNs / 2 || !open.isEmpty() || !ready.isEmpty() || !incomplete.isEmpty())
            {
                return null;
            }
            return newBatch(topicPartition, log, batchCapacity, timestamp, key, value, headers, future, callback);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Starts a batch holding this record, within {@code buffer.memory}, counted as incomplete. Called under the lock. */
    private ProducerBatch newBatch(final TopicPartition topicPartition, final PartitionLog log, final int batchCapacity, final long timestamp,
        final byte[] key, final byte[] value, final Header[] headers, final CompletableFuture<RecordMetadata> future,
        final Callback callback)
    {
        final int capacity = Math.max(batchCapacity, maxBatchSize(key, value, headers));
        awaitSpace(capacity);
        final ProducerBatch batch = new ProducerBatch(topicPartition, log, allocate(capacity), compression, System.nanoTime());
        if (!batch.tryAppend(timestamp, key, value, headers, future, callback))
        {
            throw new IllegalStateException("a record did not fit a batch sized for it");
        }
        incomplete.add(batch);
        return batch;
    }

    /**
     * Records what a direct write cost.
     *
     * @param startNs when the send that wrote it began.
     */
    void directDone(final long startNs)
    {
        final long cost = System.nanoTime() - startNs;
        lock.lock();
        try
        {
            directCostNs += (cost - directCostNs) / 8;
            lastSendNs = System.nanoTime();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Takes a batch buffer, from the pool when it is the common size: like Kafka's producer,
     * batches of {@code batch.size} are recycled so that a steady stream of sends does not
     * allocate a fresh buffer per batch.
     */
    private ByteBuffer allocate(final int capacity)
    {
        allocated += capacity;
        final ByteBuffer pooled = capacity == poolableSize ? free.pollFirst() : null;
        return pooled != null ? pooled.clear() : ByteBuffer.allocate(capacity);
    }

    /** Blocks the sending thread while the batches not yet written fill {@code buffer.memory}: backpressure. */
    private void awaitSpace(final int capacity)
    {
        if (capacity > bufferMemory)
        {
            throw new RecordTooLargeException("a record needing a batch of " + capacity + " bytes is larger than buffer.memory=" + bufferMemory);
        }
        long remaining = maxBlockNs;
        while (allocated + capacity > bufferMemory && !closing)
        {
            if (remaining <= 0)
            {
                throw new BufferExhaustedException("no room for a batch of " + capacity + " bytes in buffer.memory=" + bufferMemory +
                    " within max.block.ms: the log is not keeping up with the sends");
            }
            try
            {
                remaining = spaceFreed.awaitNanos(remaining);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new BufferExhaustedException("interrupted while waiting for room in buffer.memory");
            }
        }
        if (closing)
        {
            throw new IllegalStateException("the producer is closed");
        }
    }

    /**
     * Waits for a batch to send.
     *
     * @return the next ready batch, or null once closing and empty.
     */
    ProducerBatch poll() throws InterruptedException
    {
        lock.lock();
        try
        {
            while (true)
            {
                if (!ready.isEmpty())
                {
                    return ready.poll();
                }
                final long now = System.nanoTime();
                long wait = Long.MAX_VALUE;
                for (final Iterator<ProducerBatch> it = open.values().iterator(); it.hasNext(); )
                {
                    final ProducerBatch batch = it.next();
                    final long due = batch.createdNs() + lingerNs - now;
                    if (closing || due <= 0)
                    {
                        it.remove();
                        return batch;
                    }
                    wait = Math.min(wait, due);
                }
                if (closing)
                {
                    return null;
                }
                if (wait == Long.MAX_VALUE)
                {
                    changed.await();
                }
                else
                {
                    changed.awaitNanos(wait);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Told by the sender when a batch has its answer. */
    void completed(final ProducerBatch batch)
    {
        incomplete.remove(batch);
        lock.lock();
        try
        {
            final ByteBuffer buffer = batch.buffer();
            allocated -= buffer.capacity();
            if (buffer.capacity() == poolableSize && allocated + (free.size() + 1L) * poolableSize <= bufferMemory)
            {
                free.addFirst(buffer);
            }
            spaceFreed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Makes every open batch ready now.
     *
     * @return a future that completes when every batch started before this call is answered.
     */
    CompletableFuture<Void> flush()
    {
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        lock.lock();
        try
        {
            ready.addAll(open.values());
            open.clear();
            for (final ProducerBatch batch : incomplete)
            {
                pending.add(batch.done);
            }
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    /**
     * Fails every batch not yet handed to the sender: an aborted transaction's records that
     * need not be written at all.
     *
     * @param exception what their futures fail with.
     */
    void abortUndrained(final RuntimeException exception)
    {
        final List<ProducerBatch> aborted = new ArrayList<>();
        lock.lock();
        try
        {
            aborted.addAll(open.values());
            aborted.addAll(ready);
            open.clear();
            ready.clear();
        }
        finally
        {
            lock.unlock();
        }
        for (final ProducerBatch batch : aborted)
        {
            batch.fail(exception);
            completed(batch);
        }
    }

    /** Refuses new records; the sender drains what is left and stops. */
    void close()
    {
        lock.lock();
        try
        {
            closing = true;
            changed.signalAll();
            spaceFreed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return an upper bound of the size of a batch holding just this record.
     */
    static int maxBatchSize(final byte[] key, final byte[] value, final Header[] headers)
    {
        return RecordBatchLayout.HEADER_SIZE + 32 + length(key) + length(value) + headersSize(headers);
    }

    private static int length(final byte[] bytes)
    {
        return bytes == null ? 0 : bytes.length;
    }

    private static int headersSize(final Header[] headers)
    {
        int size = 0;
        if (headers != null)
        {
            for (final Header header : headers)
            {
                size += 10 + header.key().length() * 3 + length(header.value());
            }
        }
        return size;
    }
}
