package io.tidemark.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TimestampOffset;
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

/**
 * Rewinding a consumer group to replay history. Reading never deletes: a group's place in
 * each partition is just its committed offset, so moving that offset back makes the group
 * read the same records again, as {@code kafka-consumer-groups --reset-offsets} does. Here a
 * group reads six orders and commits; a restarted member reads nothing new; then the group
 * is rewound to the first order at or after 10:03 (found by timestamp, through the time index)
 * and the next member replays from there.
 */
public final class RewindingAConsumerGroup
{
    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final long TEN_O_CLOCK = 1_700_000_000_000L;

    private RewindingAConsumerGroup()
    {
    }

    /**
     * @param dataDir an empty directory for the log.
     * @return what each of the three passes read: the first read, after a restart, after the rewind.
     */
    public static List<List<String>> run(final Path dataDir)
    {
        final List<List<String>> passes = new ArrayList<>();
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
             GroupCoordinator groups = new GroupCoordinator(logs, GroupConfig.defaults().withInitialRebalanceDelay(0)))
        {
            logs.createTopic(TOPIC, 1, Map.of());
            try (Producer producer = new Producer(logs, ProducerConfig.defaults()))
            {
                for (int minute = 0; minute < 6; minute++)
                {
                    producer.send(new ProducerRecord(TOPIC, 0, TEN_O_CLOCK + minute * 60_000L, null,
                        ("order at 10:0" + minute).getBytes(StandardCharsets.UTF_8), null));
                }
            }
            passes.add(readAndCommit(logs, groups, 6));
            passes.add(readAndCommit(logs, groups, 0));

            // The rewind: look up 10:03 in the time index and commit that offset for the group.
            try (Consumer admin = new Consumer(logs, groups, config()))
            {
                final Map<TopicPartition, Long> when = new HashMap<>();
                when.put(PARTITION, TEN_O_CLOCK + 3 * 60_000L);
                final TimestampOffset found = admin.offsetsForTimes(when).get(PARTITION);
                admin.commitSync(Map.of(PARTITION, OffsetAndMetadata.of(found.offset())));
            }
            passes.add(readAndCommit(logs, groups, 3));
        }
        return passes;
    }

    private static ConsumerConfig config()
    {
        return ConsumerConfig.defaults().withGroup(GROUP, "billing-1").withAutoOffsetReset(OffsetReset.EARLIEST)
            .withAutoCommit(false, 5_000);
    }

    /** One member's session: join the group, read what is there past the committed offsets, commit, leave. */
    private static List<String> readAndCommit(final LogManager logs, final GroupCoordinator groups, final int expected)
    {
        final List<String> read = new ArrayList<>();
        try (Consumer consumer = new Consumer(logs, groups, config()))
        {
            consumer.subscribe(List.of(TOPIC));
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((read.size() < expected || consumer.assignment().isEmpty()) && System.nanoTime() < deadline)
            {
                for (final ConsumerRecord record : consumer.poll(Duration.ofMillis(50)))
                {
                    read.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
            read.addAll(consumer.poll(Duration.ofMillis(50)).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
            consumer.commitSync();
        }
        return read;
    }

    /**
     * Prints the passes.
     *
     * @param args unused.
     * @throws Exception if the temporary directory cannot be made.
     */
    public static void main(final String[] args) throws Exception
    {
        run(Files.createTempDirectory("tidemark-rewind")).forEach(System.out::println);
    }
}
