package io.tidemark.log.producer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.group.OffsetAndMetadata;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded consume-transform-produce loop, with commits and aborts at random, producers
 * replaced (the old one fenced) and the whole log restarted between transactions: a
 * read-committed reader of the output sees each input record once, in order per partition.
 */
class ExactlyOnceCopyTest
{
    private static final int PARTITIONS = 2;
    private static final int RECORDS_PER_PARTITION = 60;
    private static final String GROUP = "copier";

    @TempDir
    Path dataDir;

    private EmbeddedTransactions embedded;
    private Producer producer;
    private Consumer consumer;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void eachInputIsCopiedExactlyOnceWhateverAbortsAndRestartsHappen(final long seed)
    {
        final Random random = new Random(seed);
        embedded = new EmbeddedTransactions(dataDir);
        embedded.logs().createTopic("in", PARTITIONS, Map.of());
        embedded.logs().createTopic("out", PARTITIONS, Map.of());
        try (Producer source = embedded.producer(ProducerConfig.defaults()))
        {
            for (int i = 0; i < RECORDS_PER_PARTITION; i++)
            {
                for (int p = 0; p < PARTITIONS; p++)
                {
                    source.send(new ProducerRecord("in", p, null, null, (p + ":" + i).getBytes(StandardCharsets.UTF_8), null));
                }
            }
        }
        // What each output partition holds, aborted copies included, in the order written.
        final Map<Integer, List<String>> written = new HashMap<>();
        final Map<TopicPartition, Long> committed = new HashMap<>();
        int aborts = 0;
        start(random);
        for (int round = 0; round < 2_000 && !allCopied(committed); round++)
        {
            final List<ConsumerRecord> records = consumer.poll(Duration.ofMillis(20));
            if (records.isEmpty())
            {
                continue;
            }
            producer.beginTransaction();
            final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            final Map<Integer, List<String>> sent = new HashMap<>();
            for (final ConsumerRecord record : records)
            {
                final int partition = record.topicPartition().partition();
                final byte[] copy = ("copy of " + new String(record.value(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord("out", partition, null, null, copy, null));
                sent.computeIfAbsent(partition, p -> new ArrayList<>()).add(new String(copy, StandardCharsets.UTF_8));
                offsets.put(record.topicPartition(), OffsetAndMetadata.of(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.flush(); // every copy is written, so the read-uncommitted reader sees the aborted ones too
            sent.forEach((partition, values) -> written.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(values));
            if (random.nextInt(10) < 3)
            {
                producer.abortTransaction();
                aborts++;
                consumer.close(); // rewinds: the next consumer starts from the group's committed offsets
                consumer = consumer(random);
            }
            else
            {
                producer.commitTransaction();
                offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            }
            final int restart = random.nextInt(10);
            if (restart == 0)
            {
                replaceProducerFencingTheOld();
            }
            else if (restart == 1)
            {
                producer.close();
                consumer.close();
                embedded.restart();
                start(random);
            }
        }
        producer.close();
        consumer.close();
        assertTrue(allCopied(committed), "the loop copied everything: " + committed);
        assertTrue(aborts > 0, "seed " + seed + " aborted no transaction");
        for (int p = 0; p < PARTITIONS; p++)
        {
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < RECORDS_PER_PARTITION; i++)
            {
                expected.add("copy of " + p + ":" + i);
            }
            final List<TopicPartition> output = List.of(new TopicPartition("out", p));
            assertEquals(expected, embedded.readAll(IsolationLevel.READ_COMMITTED, output, expected.size()), "partition " + p);
            assertEquals(written.get(p), embedded.readAll(IsolationLevel.READ_UNCOMMITTED, output, written.get(p).size()), "partition " + p);
        }
        embedded.close();
    }

    private boolean allCopied(final Map<TopicPartition, Long> committed)
    {
        for (int p = 0; p < PARTITIONS; p++)
        {
            if (committed.getOrDefault(new TopicPartition("in", p), 0L) < RECORDS_PER_PARTITION)
            {
                return false;
            }
        }
        return true;
    }

    private void start(final Random random)
    {
        producer = embedded.transactionalProducer("copy");
        consumer = consumer(random);
    }

    /** A few records a poll, so that a run has many transactions. */
    private Consumer consumer(final Random random)
    {
        final Consumer next = new Consumer(embedded.logs(), embedded.groups(), ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)
            .withAutoCommit(false, 5_000).withGroup(GROUP, "copier").withIsolationLevel(IsolationLevel.READ_COMMITTED)
            .withMaxPollRecords(1 + random.nextInt(8)));
        final List<TopicPartition> inputs = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++)
        {
            inputs.add(new TopicPartition("in", p));
        }
        next.assign(inputs);
        return next;
    }

    /** A new instance takes over the transactional id; the old one, a zombie now, can no longer write. */
    private void replaceProducerFencingTheOld()
    {
        final Producer zombie = producer;
        producer = embedded.transactionalProducer("copy");
        zombie.beginTransaction();
        zombie.send(new ProducerRecord("out", 0, null, null, "zombie".getBytes(StandardCharsets.UTF_8), null));
        assertThrows(ProducerFencedException.class, zombie::commitTransaction);
        zombie.close();
    }
}
