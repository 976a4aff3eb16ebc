package io.tidemark.log.consumer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.NoOffsetForPartitionException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.record.Header;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsumerTest
{
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private LogManager logs;
    private Producer producer;

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        logs.createTopic("events", 2, Map.of());
        producer = new Producer(logs, ProducerConfig.defaults().withLingerMs(0));
    }

    @AfterEach
    void close()
    {
        producer.close();
        logs.close();
    }

    private void produce(final TopicPartition partition, final String prefix, final int count, final long timestamp)
    {
        for (int i = 0; i < count; i++)
        {
            producer.send(new ProducerRecord(partition.topic(), partition.partition(), timestamp + i, null,
                (prefix + i).getBytes(StandardCharsets.UTF_8), new Header[] {Header.of("n", Integer.toString(i))}));
        }
        producer.flush();
    }

    private static List<String> values(final List<ConsumerRecord> records)
    {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** Polls until {@code count} records came or the deadline passed. */
    private static List<ConsumerRecord> pollFor(final Consumer consumer, final int count)
    {
        final List<ConsumerRecord> all = new ArrayList<>();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (all.size() < count && System.nanoTime() < deadline)
        {
            all.addAll(consumer.poll(Duration.ofMillis(100)));
        }
        return all;
    }

    @Test
    void readsEverythingInOrderWithHeadersAndMovesThePosition()
    {
        produce(P0, "a", 1200, 1000);
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            consumer.assign(List.of(P0));
            final List<ConsumerRecord> first = consumer.poll(WAIT);
            assertEquals(500, first.size(), "max.poll.records");
            assertEquals(500, consumer.position(P0));
            final List<ConsumerRecord> all = new ArrayList<>(first);
            all.addAll(pollFor(consumer, 700));
            assertEquals(1200, all.size());
            for (int i = 0; i < all.size(); i++)
            {
                assertEquals(i, all.get(i).offset());
                assertEquals("a" + i, new String(all.get(i).value(), StandardCharsets.UTF_8));
                assertEquals(1000 + i, all.get(i).timestamp());
                assertEquals(List.of(Header.of("n", Integer.toString(i))), all.get(i).headers());
            }
            assertEquals(List.of(), consumer.poll(Duration.ofMillis(20)), "nothing more");
        }
    }

    @Test
    void rewindingReplaysHistoryBecauseReadingDeletesNothing()
    {
        produce(P0, "a", 10, 1000);
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            consumer.assign(List.of(P0));
            assertEquals(10, pollFor(consumer, 10).size());
            consumer.seekToBeginning(List.of(P0));
            assertEquals(values(pollFor(consumer, 10)), List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"));
            consumer.seek(P0, 7);
            assertEquals(List.of("a7", "a8", "a9"), values(pollFor(consumer, 3)));
            consumer.seekToEnd(List.of(P0));
            produce(P0, "b", 2, 2000);
            assertEquals(List.of("b0", "b1"), values(pollFor(consumer, 2)));
        }
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfterEachTime()
    {
        produce(P0, "a", 10, 1000);
        produce(P1, "b", 10, 5000);
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults()))
        {
            final Map<TopicPartition, TimestampOffset> found = consumer.offsetsForTimes(Map.of(P0, 1004L, P1, 99_999L));
            assertEquals(new TimestampOffset(1004, 4), found.get(P0));
            assertEquals(null, found.get(P1));
        }
    }

    @Test
    void pausedPartitionsKeepTheirPositionAndResumeWhereTheyStopped()
    {
        produce(P0, "a", 5, 1000);
        produce(P1, "b", 5, 1000);
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            consumer.assign(List.of(P0, P1));
            consumer.pause(List.of(P1));
            final List<ConsumerRecord> some = pollFor(consumer, 5);
            assertTrue(some.stream().allMatch(r -> r.topicPartition().equals(P0)));
            assertEquals(List.of(), consumer.poll(Duration.ofMillis(20)));
            consumer.resume(List.of(P1));
            assertEquals(List.of("b0", "b1", "b2", "b3", "b4"), values(pollFor(consumer, 5)));
        }
    }

    @Test
    void autoOffsetResetChoosesTheStartOrRefusesClearly()
    {
        produce(P0, "old", 3, 1000);
        try (Consumer latest = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.LATEST)))
        {
            latest.assign(List.of(P0));
            assertEquals(3, latest.position(P0));
            produce(P0, "new", 1, 2000);
            assertEquals(List.of("new0"), values(pollFor(latest, 1)));
        }
        try (Consumer none = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.NONE)))
        {
            none.assign(List.of(P0));
            final NoOffsetForPartitionException e = assertThrows(NoOffsetForPartitionException.class, () -> none.poll(Duration.ZERO));
            assertTrue(e.getMessage().contains("events-0"), e.getMessage());
            none.seek(P0, 1);
            assertEquals(List.of("old1", "old2", "new0"), values(pollFor(none, 3)));
        }
    }

    @Test
    void aPositionPastTheEndIsResetByThePolicy()
    {
        produce(P0, "a", 3, 1000);
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            consumer.assign(List.of(P0));
            consumer.seek(P0, 1_000_000);
            assertEquals(List.of("a0", "a1", "a2"), values(pollFor(consumer, 3)));
        }
    }

    @Test
    void unknownOrUnassignedPartitionsAreClearErrors()
    {
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults()))
        {
            assertThrows(UnknownTopicOrPartitionException.class, () -> consumer.assign(List.of(new TopicPartition("nope", 0))));
            assertThrows(UnknownTopicOrPartitionException.class, () -> consumer.assign(List.of(new TopicPartition("events", 2))));
            consumer.assign(List.of(P0));
            assertTrue(assertThrows(IllegalStateException.class, () -> consumer.seek(P1, 0)).getMessage().contains("not assigned"));
        }
    }

    @Test
    void aConsumerKeepsUpWithAConcurrentProducer() throws Exception
    {
        final int count = 50_000;
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            consumer.assign(List.of(P0, P1));
            final Thread sending = new Thread(() ->
            {
                for (int i = 0; i < count; i++)
                {
                    producer.send(new ProducerRecord("events", i % 2, null, null, ("c" + i).getBytes(StandardCharsets.UTF_8), null));
                }
                producer.flush();
            });
            sending.start();
            final List<ConsumerRecord> received = pollFor(consumer, count);
            sending.join();
            assertEquals(count, received.size());
            long expected0 = 0;
            long expected1 = 0;
            for (final ConsumerRecord record : received)
            {
                assertEquals(record.topicPartition().equals(P0) ? expected0++ : expected1++, record.offset());
            }
        }
    }

    /**
     * A write forced to disk ({@code flush.messages=1}) makes its bytes readable in the segment
     * a whole fsync before the log end offset moves past them. A consumer polling meanwhile (as
     * a stream source does, without waiting) must not take them: its position would be past
     * the log end, and the reset policy would start it over, delivering every record again.
     */
    @Test
    void aConsumerFollowingAPartitionWhoseWritesAreForcedToDiskGetsEachRecordOnce() throws Exception
    {
        final int count = 200;
        final TopicPartition synced = new TopicPartition("synced", 0);
        logs.createTopic(synced.topic(), 1, Map.of(LogConfig.FLUSH_MESSAGES, "1"));
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            consumer.assign(List.of(synced));
            final Thread sending = new Thread(() ->
            {
                for (int i = 0; i < count; i++)
                {
                    producer.send(new ProducerRecord(synced.topic(), 0, null, null, ("s" + i).getBytes(StandardCharsets.UTF_8), null)).join();
                }
            });
            sending.start();
            final List<ConsumerRecord> received = new ArrayList<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.size() < count && System.nanoTime() < deadline)
            {
                received.addAll(consumer.poll(Duration.ZERO));
            }
            sending.join();
            for (int i = 0; i < received.size(); i++)
            {
                assertEquals(i, received.get(i).offset(), "each record once, in order: the position never went back");
            }
            assertEquals(count, received.size());
        }
    }
}
