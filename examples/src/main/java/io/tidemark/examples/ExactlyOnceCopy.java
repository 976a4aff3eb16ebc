package io.tidemark.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Exactly-once copying with transactions: read a topic, transform each record, write the
 * result to another topic, and record how far the input was read, all in one transaction.
 * Either all three happen or none does, so a copier that fails half-way and starts again
 * neither loses an input nor writes one twice, as seen by a {@code read_committed} reader.
 *
 * <p>Here the copier upper-cases orders, two at a time, and its second transaction fails on
 * purpose: it is aborted after its records were written. The aborted copies stay in the log
 * (a {@code read_uncommitted} reader sees them), but a {@code read_committed} reader never
 * does, and the copier, rewound to the group's committed offset, copies those orders again.
 */
public final class ExactlyOnceCopy
{
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final TopicPartition SHOUTED = new TopicPartition("orders_shouted", 0);

    private ExactlyOnceCopy()
    {
    }

    /**
     * What each kind of reader sees of the copy.
     *
     * @param committed what a read_committed reader sees: each order once, in order.
     * @param uncommitted what a read_uncommitted reader sees: the aborted copies too.
     */
    public record Views(List<String> committed, List<String> uncommitted)
    {
    }

    /**
     * @param dataDir an empty directory for the log.
     * @return what each kind of reader sees of the output topic.
     */
    public static Views run(final Path dataDir)
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
             GroupCoordinator groups = new GroupCoordinator(logs, GroupConfig.defaults());
             // The transaction coordinator keeps each transaction's state durably in its own topic.
             TransactionCoordinator transactions = new TransactionCoordinator(logs, groups, TransactionConfig.defaults(),
                 SystemEpochClock.INSTANCE))
        {
            logs.createTopic(ORDERS.topic(), 1, Map.of());
            logs.createTopic(SHOUTED.topic(), 1, Map.of());
            try (Producer orders = new Producer(logs, ProducerConfig.defaults()))
            {
                for (final String order : List.of("tea", "milk", "bread", "eggs", "jam"))
                {
                    orders.send(new ProducerRecord(ORDERS.topic(), null, order.getBytes(StandardCharsets.UTF_8)));
                }
            }
            copy(logs, groups, transactions);
            return new Views(readAll(logs, IsolationLevel.READ_COMMITTED), readAll(logs, IsolationLevel.READ_UNCOMMITTED));
        }
    }

    private static void copy(final LogManager logs, final GroupCoordinator groups, final TransactionCoordinator transactions)
    {
        // The transactional id names the copier across restarts: a new instance fences any
        // older one still running, so two copiers can never both commit.
        final ProducerConfig producerConfig = ProducerConfig.defaults().withTransactionalId("orders-shouter", 60_000);
        // read_committed: if the input itself was written in transactions, copy only committed records.
        final ConsumerConfig consumerConfig = ConsumerConfig.defaults().withGroup("shouter", "shouter").withAutoCommit(false, 5_000)
            .withAutoOffsetReset(OffsetReset.EARLIEST).withMaxPollRecords(2).withIsolationLevel(IsolationLevel.READ_COMMITTED);
        try (Producer producer = new Producer(logs, transactions, groups, producerConfig);
             Consumer consumer = new Consumer(logs, groups, consumerConfig))
        {
            producer.initTransactions();
            consumer.assign(List.of(ORDERS));
            int transaction = 0;
            while (consumer.position(ORDERS) < logs.partition(ORDERS).logEndOffset())
            {
                final List<ConsumerRecord> records = consumer.poll(Duration.ofSeconds(1));
                producer.beginTransaction();
                final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
                for (final ConsumerRecord record : records)
                {
                    final String shouted = new String(record.value(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
                    producer.send(new ProducerRecord(SHOUTED.topic(), null, shouted.getBytes(StandardCharsets.UTF_8)));
                    consumed.put(ORDERS, OffsetAndMetadata.of(record.offset() + 1));
                }
                // The input offsets commit with the output: never one without the other.
                producer.sendOffsetsToTransaction(consumed, consumer.groupMetadata());
                if (++transaction == 2)
                {
                    producer.flush(); // the copies are in the log now, yet the abort hides them
                    producer.abortTransaction();
                    // Nothing of the aborted transaction counts: read again from the last committed offset.
                    consumer.seek(ORDERS, consumer.committed(List.of(ORDERS)).get(ORDERS).offset());
                }
                else
                {
                    producer.commitTransaction();
                }
            }
        }
    }

    private static List<String> readAll(final LogManager logs, final IsolationLevel level)
    {
        final List<String> values = new ArrayList<>();
        try (Consumer reader = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST).withIsolationLevel(level)))
        {
            reader.assign(List.of(SHOUTED));
            while (reader.position(SHOUTED) < logs.partition(SHOUTED).logEndOffset())
            {
                reader.poll(Duration.ofSeconds(1)).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        return values;
    }

    /**
     * Prints what each kind of reader sees.
     *
     * @param args unused.
     * @throws Exception if the temporary directory cannot be made.
     */
    public static void main(final String[] args) throws Exception
    {
        final Views views = run(Files.createTempDirectory("tidemark-exactly-once"));
        System.out.println("read_committed:   " + views.committed());
        System.out.println("read_uncommitted: " + views.uncommitted());
    }
}
