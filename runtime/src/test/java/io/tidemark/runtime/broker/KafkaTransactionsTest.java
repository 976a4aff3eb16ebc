package io.tidemark.runtime.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions over the wire with the real Java client (kafka-clients 4.x) and Admin: commit
 * and abort seen by read-committed and read-uncommitted consumers, interleaved transactions,
 * offsets sent to a transaction, fencing of a zombie, the coordinator's abort of a hung
 * transaction, the {@code kafka-transactions} tool's calls, and a read-committed fetch parked
 * on an open transaction.
 */
class KafkaTransactionsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    static KafkaProducer<byte[], byte[]> transactional(final TestServer server, final String transactionalId, final Map<String, Object> overrides)
    {
        final Map<String, Object> config = new HashMap<>(overrides);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        final KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server, config);
        producer.initTransactions();
        return producer;
    }

    static KafkaConsumer<byte[], byte[]> consumer(final TestServer server, final String isolation, final Map<String, Object> overrides)
    {
        final Properties properties = KafkaClientsTest.common(server);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        properties.putAll(overrides);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Everything the partitions hold for this isolation level, read until their end offsets as the level sees them. */
    static List<String> readAll(final TestServer server, final String isolation, final List<TopicPartition> partitions)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(server, isolation, Map.of()))
        {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final List<String> values = new ArrayList<>();
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!reached(consumer, ends) && System.nanoTime() < deadline)
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                {
                    values.add(new String(record.value(), UTF_8));
                }
            }
            assertTrue(reached(consumer, ends), "read to " + ends);
            return values;
        }
    }

    private static boolean reached(final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, Long> ends)
    {
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet())
        {
            if (consumer.position(end.getKey()) < end.getValue())
            {
                return false;
            }
        }
        return true;
    }

    static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.onSpinWait();
        }
    }

    private static ProducerRecord<byte[], byte[]> record(final String topic, final int partition, final String value)
    {
        return new ProducerRecord<>(topic, partition, null, value.getBytes(UTF_8));
    }

    private static void createTopic(final TestServer server, final String topic, final int partitions)
    {
        server.server().logs().createTopic(topic, partitions, Map.of());
    }

    @Test
    void aCommittedTransactionIsReadWholeAndAnAbortedOneOnlyByReadUncommitted() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            createTopic(server, "tx", 3);
            final List<TopicPartition> partitions = KafkaClientsTest.partitions("tx", 3);
            try (KafkaProducer<byte[], byte[]> producer = transactional(server, "committer", Map.of()))
            {
                producer.beginTransaction();
                for (int i = 0; i < 30; i++)
                {
                    producer.send(record("tx", i % 3, "committed-" + i));
                }
                producer.commitTransaction();
                producer.beginTransaction();
                for (int i = 0; i < 30; i++)
                {
                    producer.send(record("tx", i % 3, "aborted-" + i));
                }
                producer.flush();
                producer.abortTransaction();
            }
            final List<String> committed = readAll(server, "read_committed", partitions);
            assertEquals(30, committed.size(), committed.toString());
            assertTrue(committed.stream().allMatch(v -> v.startsWith("committed-")), committed.toString());
            final List<String> uncommitted = readAll(server, "read_uncommitted", partitions);
            assertEquals(60, uncommitted.size(), uncommitted.toString());
            assertEquals(30, uncommitted.stream().filter(v -> v.startsWith("aborted-")).count());
        }
    }

    @Test
    void interleavedTransactionsAcrossPartitionsKeepOnlyTheCommittedOnesInOrder() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            createTopic(server, "mixed", 2);
            final List<TopicPartition> partitions = KafkaClientsTest.partitions("mixed", 2);
            final List<String> expected = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> a = transactional(server, "a", Map.of());
                KafkaProducer<byte[], byte[]> b = transactional(server, "b", Map.of()))
            {
                for (int round = 0; round < 6; round++)
                {
                    a.beginTransaction();
                    b.beginTransaction();
                    for (int i = 0; i < 5; i++)
                    {
                        a.send(record("mixed", i % 2, "a" + round + "-" + i)).get();
                        b.send(record("mixed", (i + 1) % 2, "b" + round + "-" + i)).get();
                    }
                    // Each round one of the two commits and the other aborts, in either order.
                    final boolean aCommits = round % 2 == 0;
                    if (round % 3 == 0)
                    {
                        end(a, aCommits);
                        end(b, !aCommits);
                    }
                    else
                    {
                        end(b, !aCommits);
                        end(a, aCommits);
                    }
                    for (int i = 0; i < 5; i++)
                    {
                        expected.add((aCommits ? "a" : "b") + round + "-" + i);
                    }
                }
            }
            final List<String> committed = readAll(server, "read_committed", partitions);
            assertEquals(expected.size(), committed.size(), committed.toString());
            assertEquals(Set.copyOf(expected), Set.copyOf(committed));
            for (final TopicPartition partition : partitions)
            {
                final List<String> inPartition = readAll(server, "read_committed", List.of(partition));
                // Values are "<producer><round>-<index>", one digit each: round and index give the order of sending.
                final List<String> sorted = new ArrayList<>(inPartition);
                sorted.sort(Comparator.comparing(v -> v.substring(1)));
                assertEquals(sorted, inPartition, "one partition's committed records keep their order");
            }
            assertEquals(60, readAll(server, "read_uncommitted", partitions).size());
        }
    }

    private static void end(final KafkaProducer<byte[], byte[]> producer, final boolean commit)
    {
        if (commit)
        {
            producer.commitTransaction();
        }
        else
        {
            producer.abortTransaction();
        }
    }

    @Test
    void offsetsSentToATransactionAreVisibleOnlyOnceItCommits() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of());
            Admin admin = KafkaClientsTest.admin(server))
        {
            createTopic(server, "in", 1);
            createTopic(server, "out", 1);
            final TopicPartition in = new TopicPartition("in", 0);
            try (KafkaProducer<byte[], byte[]> producer = transactional(server, "ctp", Map.of()))
            {
                producer.beginTransaction();
                producer.send(record("out", 0, "x")).get();
                producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(42)), new ConsumerGroupMetadata("g"));
                assertFalse(admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get().containsKey(in),
                    "not visible while the transaction is open");
                try (WireClient client = new WireClient(server.port()))
                {
                    final OffsetFetchResponseData stable = (OffsetFetchResponseData)client.send(new OffsetFetchRequestData().setRequireStable(true)
                        .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("in").setPartitionIndexes(List.of(0)))))), (short)8);
                    assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(),
                        stable.groups().get(0).topics().get(0).partitions().get(0).errorCode(), "a read-committed consumer is told to wait");
                }
                producer.commitTransaction();
                assertEquals(42, admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get().get(in).offset());

                producer.beginTransaction();
                producer.send(record("out", 0, "y")).get();
                producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(50)), new ConsumerGroupMetadata("g"));
                producer.abortTransaction();
                assertEquals(42, admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get().get(in).offset(),
                    "an aborted transaction's offsets are dropped");
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(server, "read_committed", Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g")))
            {
                assertEquals(42, consumer.committed(Set.of(in), Duration.ofSeconds(30)).get(in).offset(), "stable once ended");
            }
        }
    }

    @Test
    void aZombieIsFencedByANewInstanceOfItsTransactionalId() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            createTopic(server, "z", 1);
            final KafkaProducer<byte[], byte[]> zombie = transactional(server, "zid", Map.of());
            try (zombie)
            {
                zombie.beginTransaction();
                zombie.send(record("z", 0, "zombie-1")).get();
                try (KafkaProducer<byte[], byte[]> successor = transactional(server, "zid", Map.of()))
                {
                    final KafkaException fenced = assertThrows(KafkaException.class, () ->
                    {
                        zombie.send(record("z", 0, "zombie-2"));
                        zombie.commitTransaction();
                    });
                    assertTrue(causedBy(fenced, ProducerFencedException.class) || causedBy(fenced, InvalidProducerEpochException.class),
                        fenced.toString());
                    successor.beginTransaction();
                    successor.send(record("z", 0, "successor")).get();
                    successor.commitTransaction();
                }
            }
            assertEquals(List.of("successor"), readAll(server, "read_committed", List.of(new TopicPartition("z", 0))),
                "the zombie's transaction was aborted when the successor started");
        }
    }

    private static boolean causedBy(final Throwable failure, final Class<? extends Throwable> type)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (type.isInstance(cause))
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void aHungTransactionIsAbortedByTheCoordinatorAndTheLastStableOffsetMovesOn() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "100"));
            Admin admin = KafkaClientsTest.admin(server))
        {
            createTopic(server, "hung", 1);
            final TopicPartition partition = new TopicPartition("hung", 0);
            try (KafkaProducer<byte[], byte[]> producer = transactional(server, "hanging", Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 1_000));
                KafkaConsumer<byte[], byte[]> committed = consumer(server, "read_committed", Map.of()))
            {
                committed.assign(List.of(partition));
                producer.beginTransaction();
                producer.send(record("hung", 0, "never")).get();
                // The coordinator aborts it within its timeout and a check interval; until then the
                // last stable offset holds read-committed readers at the transaction's start.
                await(() -> committed.endOffsets(List.of(partition)).get(partition) > 0, "the last stable offset passed the aborted transaction");
                final TransactionDescription description = admin.describeTransactions(List.of("hanging")).description("hanging").get();
                assertEquals(TransactionState.COMPLETE_ABORT, description.state());
                assertThrows(KafkaException.class, producer::commitTransaction, "the producer was fenced by the coordinator's epoch bump");
            }
            assertEquals(List.of(), readAll(server, "read_committed", List.of(partition)));
            assertEquals(List.of("never"), readAll(server, "read_uncommitted", List.of(partition)));
        }
    }

    @Test
    void theTransactionToolsCallsListDescribeAndAbortAHangingTransaction() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of());
            Admin admin = KafkaClientsTest.admin(server))
        {
            admin.createTopics(List.of(new NewTopic("tools", 2, (short)1))).all().get();
            final TopicPartition partition = new TopicPartition("tools", 1);
            try (KafkaProducer<byte[], byte[]> producer = transactional(server, "tool-id", Map.of());
                KafkaConsumer<byte[], byte[]> committed = consumer(server, "read_committed", Map.of()))
            {
                committed.assign(List.of(partition));
                producer.beginTransaction();
                producer.send(record("tools", 1, "open")).get();

                final List<TransactionListing> listed = new ArrayList<>(admin.listTransactions().all().get());
                assertEquals(1, listed.size(), listed.toString());
                assertEquals("tool-id", listed.get(0).transactionalId());
                assertEquals(TransactionState.ONGOING, listed.get(0).state());
                final long producerId = listed.get(0).producerId();
                assertEquals(1, admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                    .all().get().size());
                assertEquals(0, admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.COMPLETE_COMMIT)))
                    .all().get().size());
                assertEquals(0, admin.listTransactions(new ListTransactionsOptions().filterProducerIds(List.of(producerId + 1))).all().get().size());
                assertEquals(0, admin.listTransactions(new ListTransactionsOptions().filterOnDuration(3_600_000)).all().get().size(),
                    "not open for an hour");

                final TransactionDescription description = admin.describeTransactions(List.of("tool-id")).description("tool-id").get();
                assertEquals(TransactionState.ONGOING, description.state());
                assertEquals(producerId, description.producerId());
                assertEquals(Set.of(partition), description.topicPartitions());
                assertTrue(description.transactionStartTimeMs().isPresent());
                final Exception unknown = assertThrows(Exception.class,
                    () -> admin.describeTransactions(List.of("no-such-id")).description("no-such-id").get());
                assertTrue(causedBy(unknown, TransactionalIdNotFoundException.class), unknown.toString());

                final List<ProducerState> producers = admin.describeProducers(List.of(partition)).partitionResult(partition).get().activeProducers();
                assertEquals(1, producers.size(), producers.toString());
                assertEquals(producerId, producers.get(0).producerId());
                assertEquals(0, producers.get(0).currentTransactionStartOffset().orElse(-1));
                assertEquals(0, committed.endOffsets(List.of(partition)).get(partition), "held at the open transaction");

                // kafka-transactions abort: a marker written straight to the hanging partition.
                admin.abortTransaction(new AbortTransactionSpec(partition, producerId, (short)producers.get(0).producerEpoch(),
                    producers.get(0).coordinatorEpoch().orElse(0))).all().get();
                assertTrue(committed.endOffsets(List.of(partition)).get(partition) > 0, "the last stable offset moved past the abort");
                assertTrue(admin.describeProducers(List.of(partition)).partitionResult(partition).get().activeProducers().stream()
                    .allMatch(p -> p.currentTransactionStartOffset().isEmpty()), "no transaction open in the partition");
                producer.abortTransaction();
            }
            assertEquals(List.of(), readAll(server, "read_committed", List.of(partition)));
        }
    }

    @Test
    void aReadCommittedFetchParkedOnAnOpenTransactionWakesWhenItCommits() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            createTopic(server, "parked", 1);
            final TopicPartition partition = new TopicPartition("parked", 0);
            // The fetch waits up to 25 s on the server; only the commit's marker can answer it sooner.
            try (KafkaProducer<byte[], byte[]> producer = transactional(server, "parker", Map.of());
                KafkaConsumer<byte[], byte[]> consumer = consumer(server, "read_committed", Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 25_000,
                    ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000)))
            {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                producer.beginTransaction();
                producer.send(record("parked", 0, "held")).get();
                assertTrue(consumer.poll(Duration.ofMillis(500)).isEmpty(), "nothing is stable while the transaction is open");
                assertEquals(0, consumer.position(partition));
                producer.commitTransaction();
                final long committedAt = System.nanoTime();
                final List<String> woken = new ArrayList<>();
                while (woken.isEmpty() && System.nanoTime() - committedAt < Duration.ofSeconds(20).toNanos())
                {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> woken.add(new String(r.value(), UTF_8)));
                }
                assertEquals(List.of("held"), woken, "woken by the marker, not by the fetch's 25 s wait");
                // The consumer's next fetch is parked for 25 s, and a plain close would wait for it.
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            }
        }
    }
}
