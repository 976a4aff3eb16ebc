package io.tidemark.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.GroupDescription;
import io.tidemark.log.group.GroupState;
import io.tidemark.log.group.StickyAssignor;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;

/**
 * Keyed partitions and consumer groups on the log. A producer sends each user's page views
 * with the user as key, so one user always lands on one partition (Kafka's murmur2 of the
 * key, modulo the partition count) and a partition's reader sees that user's views in order.
 * Consumers that share a group id split the partitions: this example adds members to a group
 * over a three-partition topic one at a time and shows who owns what after each rebalance.
 * With one member it owns all three; with three, one each; the fourth gets nothing and idles
 * until an owner leaves, when the (sticky) assignor hands it exactly the leaver's partition.
 */
public final class ConsumerGroupsOnTheLog
{
    private static final String TOPIC = "page_views";
    private static final String GROUP = "dashboard";

    private ConsumerGroupsOnTheLog()
    {
    }

    /**
     * @param dataDir an empty directory for the log.
     * @return after each step (a member joins or leaves), each member's partitions, by client id.
     */
    public static List<Map<String, Set<Integer>>> run(final Path dataDir)
    {
        final List<Map<String, Set<Integer>>> steps = new ArrayList<>();
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
             GroupCoordinator groups = new GroupCoordinator(logs, GroupConfig.defaults().withInitialRebalanceDelay(0)))
        {
            logs.createTopic(TOPIC, 3, Map.of());
            try (Producer producer = new Producer(logs, ProducerConfig.defaults()))
            {
                for (final String user : List.of("ann", "bob", "cid", "dee", "eve"))
                {
                    producer.send(new ProducerRecord(TOPIC, user.getBytes(StandardCharsets.UTF_8), "/home".getBytes(StandardCharsets.UTF_8)));
                }
            }
            final Map<String, Consumer> members = new LinkedHashMap<>();
            for (int i = 1; i <= 4; i++)
            {
                final String client = "member-" + i;
                final Consumer consumer = new Consumer(logs, groups, ConsumerConfig.defaults().withGroup(GROUP, client)
                    .withTimeouts(10_000, 100, 60_000).withAssignors(List.of(new StickyAssignor())));
                consumer.subscribe(List.of(TOPIC));
                members.put(client, consumer);
                steps.add(settle(groups, members));
            }
            members.remove("member-1").close();
            steps.add(settle(groups, members));
            members.values().forEach(Consumer::close);
        }
        return steps;
    }

    /** Polls every member (from this one thread) until the group is stable and each has its share. */
    private static Map<String, Set<Integer>> settle(final GroupCoordinator groups, final Map<String, Consumer> members)
    {
        while (true)
        {
            members.values().forEach(consumer -> consumer.poll(Duration.ofMillis(10)));
            final GroupDescription group = groups.describeGroup(GROUP);
            if (group.state() == GroupState.STABLE && group.members().size() == members.size() &&
                members.values().stream().allMatch(c -> c.groupMetadata().generationId() == group.generationId()))
            {
                final Map<String, Set<Integer>> owners = new LinkedHashMap<>();
                members.forEach((client, consumer) -> owners.put(client,
                    new TreeSet<>(consumer.assignment().stream().map(TopicPartition::partition).toList())));
                return owners;
            }
        }
    }

    /**
     * Prints the steps.
     *
     * @param args unused.
     * @throws Exception if the temporary directory cannot be made.
     */
    public static void main(final String[] args) throws Exception
    {
        run(Files.createTempDirectory("tidemark-groups")).forEach(System.out::println);
    }
}
