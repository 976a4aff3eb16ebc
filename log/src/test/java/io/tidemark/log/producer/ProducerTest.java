package io.tidemark.log.producer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.topic.LogManager;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerTest
{
    @TempDir
    Path dataDir;

    private LogManager logs;

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        logs.createTopic("events", 4, Map.of());
    }

    @AfterEach
    void close()
    {
        logs.close();
    }

    /** Each record of a partition as (offset, key, value, producer id, base sequence of its batch). */
    private record Read(long offset, String key, String value, long producerId, int baseSequence)
    {
    }

    private List<Read> readPartition(final int partition) throws Exception
    {
        final PartitionLog log = logs.partition(new TopicPartition("events", partition));
        final List<Read> out = new ArrayList<>();
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long next = 0;
        while (next < log.logEndOffset())
        {
            cursor.wrap(log.read(next, 1 << 20).buffer(), true);
            while (cursor.next())
            {
                final Record record = cursor.batch().records();
                while (record.next())
                {
                    out.add(new Read(record.offset(), record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                        new String(record.value(), StandardCharsets.UTF_8), cursor.batch().producerId(), cursor.batch().baseSequence()));
                }
                next = cursor.batch().lastOffset() + 1;
            }
        }
        return out;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aProducerTheLogForgotStartsItsSequenceOverAndLosesNothing(@TempDir final Path otherDir) throws Exception
    {
        final org.agrona.concurrent.CachedEpochClock clock = new org.agrona.concurrent.CachedEpochClock();
        clock.update(1_000);
        try (LogManager manager = LogManager.open(otherDir, LogConfig.DEFAULTS, clock, java.time.Duration.ofHours(1),
            java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(1));
            Producer producer = new Producer(manager, ProducerConfig.defaults()))
        {
            manager.createTopic("quiet", 1, Map.of());
            producer.send(new ProducerRecord("quiet", null, bytes("a"))).join();
            producer.send(new ProducerRecord("quiet", null, bytes("b"))).join();
            clock.update(1_000 + 60_000);
            assertEquals(1, manager.expireProducers());

            assertEquals(2, producer.send(new ProducerRecord("quiet", null, bytes("c"))).join().offset());
            assertEquals(3, producer.send(new ProducerRecord("quiet", null, bytes("d"))).join().offset());
            final PartitionLog log = manager.partition(new TopicPartition("quiet", 0));
            final RecordBatchCursor cursor = new RecordBatchCursor();
            cursor.wrap(log.read(0, 1 << 20).buffer(), true);
            final List<String> values = new ArrayList<>();
            final List<Integer> sequences = new ArrayList<>();
            while (cursor.next())
            {
                sequences.add(cursor.batch().baseSequence());
                final Record record = cursor.batch().records();
                while (record.next())
                {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(List.of("a", "b", "c", "d"), values);
            assertEquals(List.of(0, 1, 0, 1), sequences, "the sequence started over once the log forgot the producer");
        }
    }

    @Test
    void keyedRecordsLandWhereKafkaWouldPutThemInOrder() throws Exception
    {
        try (Producer producer = new Producer(logs, ProducerConfig.defaults()))
        {
            final List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++)
            {
                sent.add(producer.send(new ProducerRecord("events", bytes("user-" + (i % 37)), bytes("e" + i))));
            }
            producer.flush();
            for (int i = 0; i < 1000; i++)
            {
                final RecordMetadata metadata = sent.get(i).join();
                assertEquals(BuiltInPartitioner.partitionForKey(bytes("user-" + (i % 37)), 4), metadata.topicPartition().partition());
            }
        }
        int total = 0;
        for (int p = 0; p < 4; p++)
        {
            final Map<String, Integer> lastPerKey = new HashMap<>();
            final List<Read> records = readPartition(p);
            total += records.size();
            for (int i = 0; i < records.size(); i++)
            {
                assertEquals(i, records.get(i).offset());
                final int index = Integer.parseInt(records.get(i).value().substring(1));
                final Integer before = lastPerKey.put(records.get(i).key(), index);
                assertTrue(before == null || before < index, "per-key order");
            }
        }
        assertEquals(1000, total);
    }

    @Test
    void concurrentSendersEachKeepTheirOrderAndNothingIsLostOrDoubled() throws Exception
    {
        final int threads = 4;
        final int perThread = 20_000;
        try (Producer producer = new Producer(logs, ProducerConfig.defaults().withLingerMs(0)))
        {
            final List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int id = t;
                final Thread sender = new Thread(() ->
                {
                    for (int i = 0; i < perThread; i++)
                    {
                        producer.send(new ProducerRecord("events", bytes("t" + id), bytes(id + ":" + i)));
                    }
                });
                sender.start();
                senders.add(sender);
            }
            for (final Thread sender : senders)
            {
                sender.join();
            }
            producer.flush();
        }
        final Map<Integer, Integer> next = new HashMap<>();
        int total = 0;
        for (int p = 0; p < 4; p++)
        {
            for (final Read read : readPartition(p))
            {
                final String[] parts = read.value().split(":");
                final int thread = Integer.parseInt(parts[0]);
                assertEquals(next.getOrDefault(thread, 0), Integer.parseInt(parts[1]), "thread " + thread + " in order, no gap, no duplicate");
                next.put(thread, Integer.parseInt(parts[1]) + 1);
                total++;
            }
        }
        assertEquals(threads * perThread, total);
    }

    @Test
    void aLingeringBatchWaitsForFlushAndAFullOneGoesAtOnce() throws Exception
    {
        final PartitionLog partition0 = logs.partition(new TopicPartition("events", 0));
        try (Producer lingering = new Producer(logs, ProducerConfig.defaults().withLingerMs(60_000).withBatchSize(1 << 20)))
        {
            final CompletableFuture<RecordMetadata> pending = lingering.send(new ProducerRecord("events", 0, null, null, bytes("x"), null));
            assertEquals(0, partition0.logEndOffset(), "the batch lingers: nothing appended yet");
            assertTrue(!pending.isDone());
            lingering.flush();
            assertEquals(0, pending.join().offset());
        }
        try (Producer small = new Producer(logs, ProducerConfig.defaults().withLingerMs(60_000).withBatchSize(200)))
        {
            for (int i = 0; i < 50; i++)
            {
                small.send(new ProducerRecord("events", 0, null, null, bytes("value-" + i), null));
            }
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (partition0.logEndOffset() < 30 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait(); // full batches are sent without waiting for linger or flush
            }
            assertTrue(partition0.logEndOffset() >= 30, "full batches went out: " + partition0.logEndOffset());
        }
    }

    @Test
    void acksNoneAnswersAtOnceWithoutAnOffsetAndAllAfterTheWrite() throws Exception
    {
        try (Producer none = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.NONE)))
        {
            assertEquals(-1, none.send(new ProducerRecord("events", 1, 5L, null, bytes("a"), null)).join().offset());
            none.flush();
        }
        try (Producer all = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.ALL)))
        {
            final RecordMetadata metadata = all.send(new ProducerRecord("events", 1, 5L, null, bytes("b"), null)).join();
            assertEquals(1, metadata.offset());
            assertEquals(5L, metadata.timestamp());
        }
        assertEquals(List.of("a", "b"), readPartition(1).stream().map(Read::value).toList());
    }

    @Test
    void badRecordsFailAloneWithAClearErrorAndTheRestIsWritten() throws Exception
    {
        logs.createTopic("small", 1, Map.of(LogConfig.MAX_MESSAGE_BYTES, "1000"));
        try (Producer producer = new Producer(logs, ProducerConfig.defaults()))
        {
            final AtomicReference<Exception> told = new AtomicReference<>();
            final CompletableFuture<RecordMetadata> unknown = producer.send(new ProducerRecord("nope", null, bytes("x")), (m, e) -> told.set(e));
            assertInstanceOf(UnknownTopicOrPartitionException.class, assertThrows(CompletionException.class, unknown::join).getCause());
            assertInstanceOf(UnknownTopicOrPartitionException.class, told.get());
            final CompletableFuture<RecordMetadata> badPartition = producer.send(new ProducerRecord("events", 9, null, null, bytes("x"), null));
            assertTrue(assertThrows(CompletionException.class, badPartition::join).getCause().getMessage().contains("0 to 3"));
            final CompletableFuture<RecordMetadata> good = producer.send(new ProducerRecord("small", null, bytes("fits")));
            final CompletableFuture<RecordMetadata> tooLarge = producer.send(new ProducerRecord("small", null, new byte[2000]));
            assertInstanceOf(RecordTooLargeException.class, assertThrows(CompletionException.class, tooLarge::join).getCause());
            assertEquals(0, good.join().offset());
        }
    }

    @Test
    void idempotentBatchesCarryTheProducerIdAndContiguousSequences() throws Exception
    {
        try (Producer producer = new Producer(logs, ProducerConfig.defaults().withBatchSize(300).withLingerMs(0)))
        {
            for (int i = 0; i < 200; i++)
            {
                producer.send(new ProducerRecord("events", 2, null, null, bytes("r" + i), null));
            }
            producer.flush();
            final List<Read> records = readPartition(2);
            assertEquals(200, records.size());
            for (final Read read : records)
            {
                assertEquals(producer.producerId(), read.producerId());
                assertTrue(read.baseSequence() <= read.offset(), "sequence numbers follow the records");
            }
            assertTrue(records.stream().map(Read::baseSequence).distinct().count() > 1, "several batches");
        }
        try (Producer plain = new Producer(logs, ProducerConfig.defaults().withIdempotence(false)))
        {
            assertEquals(-1, plain.producerId());
        }
    }

    @Test
    void aFullBufferBlocksTheSenderAndThenFailsTheRecordAlone() throws Exception
    {
        // Batches to three partitions linger for a minute and fill buffer.memory; a fourth waits max.block.ms, then fails.
        final ProducerConfig config = ProducerConfig.defaults().withBatchSize(1000).withLingerMs(60_000).withBufferMemory(3000, 100);
        try (Producer producer = new Producer(logs, config))
        {
            for (int p = 0; p < 3; p++)
            {
                producer.send(new ProducerRecord("events", p, null, null, new byte[100], null));
            }
            final long start = System.nanoTime();
            final AtomicReference<Exception> told = new AtomicReference<>();
            final CompletableFuture<RecordMetadata> blocked = producer.send(new ProducerRecord("events", 3, null, null, new byte[100], null),
                (m, e) -> told.set(e));
            assertTrue(System.nanoTime() - start >= 90_000_000L, "the send waited for room");
            assertInstanceOf(io.tidemark.log.errors.BufferExhaustedException.class,
                assertThrows(CompletionException.class, blocked::join).getCause());
            assertInstanceOf(io.tidemark.log.errors.BufferExhaustedException.class, told.get());
            producer.flush(); // writes the lingering batches, which frees their room
            final CompletableFuture<RecordMetadata> next = producer.send(new ProducerRecord("events", 3, null, null, new byte[100], null));
            producer.flush();
            assertEquals(0, next.join().offset(), "the failed record was not kept; the next one is the partition's first");
            assertInstanceOf(RecordTooLargeException.class, assertThrows(CompletionException.class,
                () -> producer.send(new ProducerRecord("events", 0, null, null, new byte[5000], null)).join()).getCause(),
                "a record larger than the whole buffer can never be sent");
        }
        assertEquals(1, readPartition(0).size());
        assertEquals(1, readPartition(3).size());
    }

    @Test
    void aSparseSendIsWrittenByTheCallerWhileBackToBackSendsStillBatch() throws Exception
    {
        try (Producer producer = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.LEADER).withLingerMs(0)))
        {
            final CompletableFuture<RecordMetadata> first = producer.send(new ProducerRecord("events", 0, null, null, bytes("alone"), null));
            assertTrue(first.isDone(), "an idle producer writes a lone record before send returns");
            assertEquals(0, first.join().offset());
            for (int i = 0; i < 20_000; i++)
            {
                producer.send(new ProducerRecord("events", 0, null, null, bytes("r" + i), null));
            }
            producer.flush();
        }
        final List<Read> records = readPartition(0);
        assertEquals(20_001, records.size());
        final long batches = records.stream().map(Read::baseSequence).distinct().count();
        assertTrue(batches < 2_000, "back-to-back sends share batches: " + batches + " batches for 20,001 records");
    }

    @Test
    void aClosedProducerRefusesToSend()
    {
        final Producer producer = new Producer(logs, ProducerConfig.defaults());
        producer.close();
        assertThrows(IllegalStateException.class, () -> producer.send(new ProducerRecord("events", null, bytes("late"))));
    }

    @Test
    void producerSettingsUseKafkasKeysAndRefuseUnknownOnes()
    {
        final ProducerConfig config = ProducerConfig.fromMap(Map.of("acks", "1", "linger.ms", "7", "batch.size", "999", "enable.idempotence", "false",
            "buffer.memory", "1048576", "max.block.ms", "10"));
        assertEquals(1 << 20, config.bufferMemory());
        assertEquals(10, config.maxBlockMs());
        assertEquals(Acks.LEADER, config.acks());
        assertEquals(7, config.lingerMs());
        assertEquals(999, config.batchSize());
        assertTrue(!config.idempotence());
        assertThrows(io.tidemark.log.errors.InvalidConfigurationException.class, () -> ProducerConfig.fromMap(Map.of("acks", "2")));
        assertThrows(io.tidemark.log.errors.InvalidConfigurationException.class, () -> ProducerConfig.fromMap(Map.of("retries", "3")));
        assertThrows(io.tidemark.log.errors.InvalidConfigurationException.class, () -> ProducerConfig.fromMap(Map.of("linger.ms", "-1")));
    }
}
