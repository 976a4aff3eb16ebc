package io.tidemark.connector.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the split readers of one source subtask share: one {@link KafkaConsumer}, assigned
 * (never subscribed: no group membership, no rebalance) the partitions of the open readers,
 * and a buffer per partition that each poll's records are dealt into. The consumer is polled
 * without waiting, and only when every buffer has been read out, so a partition's records
 * stay in order in one buffer and the readers (all on the subtask's thread) take turns. Offsets
 * to commit back to the group wait here until the next poll, so that one checkpoint's offsets
 * go out in one commit. Also runs the subtask's partition discovery on an {@link Admin} of its
 * own, whose answers arrive on the Admin's thread and are taken over between batches.
 */
final class KafkaFetcher implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFetcher.class);
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** The records of one partition from the latest poll that returned some, read out in order. */
    static final class Buffer
    {
        private List<ConsumerRecord<byte[], byte[]>> records = List.of();
        private int next;

        /**
         * @return the next record, or {@code null} when the buffer is read out.
         */
        ConsumerRecord<byte[], byte[]> peek()
        {
            return next < records.size() ? records.get(next) : null;
        }

        /** Moves past the record {@link #peek()} returned. */
        void advance()
        {
            next++;
        }

        /**
         * @return whether every record of the buffer was read.
         */
        boolean isEmpty()
        {
            return next >= records.size();
        }
    }

    private final KafkaSource<?> source;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Buffer> buffers = new HashMap<>();
    /** The same buffers, to look at without an iterator. */
    private final List<Buffer> open = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    private Admin admin;
    private CompletableFuture<List<KafkaSplit>> discovery;

    /**
     * @param source   the source, for its settings and its discovery.
     * @param consumer the subtask's consumer.
     */
    KafkaFetcher(final KafkaSource<?> source, final KafkaConsumer<byte[], byte[]> consumer)
    {
        this.source = source;
        this.consumer = consumer;
    }

    /**
     * Assigns the split's partition too, positioned at its next offset.
     *
     * @param split a split a reader opens.
     * @return the partition's buffer.
     */
    Buffer open(final KafkaSplit split)
    {
        final TopicPartition partition = new TopicPartition(split.topic(), split.partition());
        final Buffer buffer = new Buffer();
        if (buffers.putIfAbsent(partition, buffer) != null)
        {
            throw new IllegalStateException("partition " + partition + " is read twice by one subtask");
        }
        open.add(buffer);
        consumer.assign(buffers.keySet());
        consumer.seek(partition, split.nextOffset());
        return buffer;
    }

    /**
     * Stops fetching a partition whose reader closed.
     *
     * @param partition the partition.
     */
    void close(final TopicPartition partition)
    {
        open.remove(buffers.remove(partition));
        consumer.assign(buffers.keySet());
    }

    /**
     * Polls, without waiting, once every buffer is read out; sends the offsets waiting to be
     * committed first.
     */
    void fetch()
    {
        for (int i = 0, count = open.size(); i < count; i++)
        {
            if (!open.get(i).isEmpty())
            {
                return;
            }
        }
        if (!commits.isEmpty())
        {
            consumer.commitAsync(Map.copyOf(commits), (offsets, error) ->
            {
                // The offsets are for monitoring only (positions live in the checkpoints), and the
                // next checkpoint commits newer ones: a retriable failure (the group's coordinator
                // not found yet) is no news.
                if (error instanceof RetriableException)
                {
                    LOG.debug("offsets {} not committed to group {}: {}", offsets, source.groupId(), error.toString());
                }
                else if (error != null)
                {
                    LOG.warn("cannot commit offsets {} to group {}: {}", offsets, source.groupId(), error.toString());
                }
            });
            commits.clear();
        }
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(NO_WAIT);
        if (records.isEmpty())
        {
            return;
        }
        for (final TopicPartition partition : records.partitions())
        {
            final Buffer buffer = buffers.get(partition);
            if (buffer != null)
            {
                buffer.records = records.records(partition);
                buffer.next = 0;
            }
        }
    }

    /**
     * @param partition an assigned partition whose buffer is read out.
     * @return the consumer's position there: past every record polled so far and past the
     * transaction markers and aborted records it skipped; -1 if it has none right now.
     */
    long position(final TopicPartition partition)
    {
        try
        {
            return consumer.position(partition, NO_WAIT);
        }
        catch (final TimeoutException e)
        {
            // Being reset (a position retention removed): known after a later poll.
            return -1;
        }
    }

    /**
     * @param partition a partition.
     * @param offset    the offset a completed checkpoint stored for it, to commit at the next
     *                  poll.
     */
    void commitLater(final TopicPartition partition, final long offset)
    {
        commits.put(partition, new OffsetAndMetadata(offset));
    }

    /**
     * Takes the answer of the discovery asked for last time, if it has come, and asks again.
     *
     * @param subtask     the subtask.
     * @param parallelism the source's parallelism.
     * @param known       the ids of the splits the subtask knows.
     * @return the new splits this subtask owns, from the previous answer.
     */
    List<KafkaSplit> discover(final int subtask, final int parallelism, final Set<String> known)
    {
        List<KafkaSplit> found = List.of();
        if (discovery != null && discovery.isDone())
        {
            try
            {
                found = discovery.join().stream().filter(split -> !known.contains(split.splitId())).toList();
            }
            catch (final CompletionException e)
            {
                // A cluster out of reach for a while does not fail the job: the next round asks again.
                LOG.warn("partition discovery of {} failed: {}", source.describeTopics(), e.getCause().toString());
            }
            discovery = null;
        }
        if (discovery == null)
        {
            if (admin == null)
            {
                admin = Admin.create(source.adminProperties());
            }
            discovery = source.newPartitions(admin, subtask, parallelism, Set.copyOf(known));
        }
        return found;
    }

    @Override
    public void close()
    {
        try
        {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
        finally
        {
            if (admin != null)
            {
                admin.close(CLOSE_TIMEOUT);
            }
        }
    }

}
