package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.tidemark.log.TopicPartition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules every assignor keeps, over random groups: each partition of a subscribed topic has
 * exactly one owner, subscribed to its topic; equal subscriptions give counts that differ by
 * at most one; range and round-robin give what Kafka's own assignors give; sticky moves only
 * what balance requires.
 */
class AssignorProperties
{
    private static final List<PartitionAssignor> ASSIGNORS = List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor());

    @Property(tries = 300)
    void everyPartitionHasExactlyOneSubscribedOwner(@ForAll("groups") final Group group)
    {
        for (final PartitionAssignor assignor : ASSIGNORS)
        {
            final Map<String, List<TopicPartition>> assignment = assignor.assign(group.partitionsPerTopic, group.subscriptions);
            assertEquals(group.subscriptions.keySet(), assignment.keySet(), assignor.name() + ": every member is in the answer");
            final Map<TopicPartition, String> owners = new HashMap<>();
            assignment.forEach((member, partitions) -> partitions.forEach(p ->
            {
                assertEquals(null, owners.put(p, member), assignor.name() + ": " + p + " has two owners");
                assertTrue(group.subscriptions.get(member).topics().contains(p.topic()), assignor.name() + ": owner not subscribed");
            }));
            assertEquals(new HashSet<>(PartitionAssignor.subscribedPartitions(group.partitionsPerTopic, group.subscriptions)),
                owners.keySet(), assignor.name() + ": every subscribed partition is assigned");
        }
    }

    @Property(tries = 300)
    void equalSubscriptionsAreBalanced(@ForAll @IntRange(min = 1, max = 12) final int members,
        @ForAll @IntRange(min = 1, max = 40) final int partitions)
    {
        final Map<String, Subscription> subscriptions = new TreeMap<>();
        for (int m = 0; m < members; m++)
        {
            subscriptions.put("member-" + m, Subscription.of(List.of("t"), List.of(), -1));
        }
        for (final PartitionAssignor assignor : ASSIGNORS)
        {
            final Map<String, List<TopicPartition>> assignment = assignor.assign(Map.of("t", partitions), subscriptions);
            final int min = assignment.values().stream().mapToInt(List::size).min().orElseThrow();
            final int max = assignment.values().stream().mapToInt(List::size).max().orElseThrow();
            assertTrue(max - min <= 1, assignor.name() + ": " + assignment);
            assertEquals(Math.max(0, members - partitions), assignment.values().stream().filter(List::isEmpty).count(),
                assignor.name() + ": members beyond the partition count idle");
        }
    }

    @Property(tries = 300)
    void rangeAndRoundRobinMatchKafka(@ForAll("groups") final Group group)
    {
        final Map<String, ConsumerPartitionAssignor.Subscription> kafkaSubscriptions = new HashMap<>();
        group.subscriptions.forEach((member, s) -> kafkaSubscriptions.put(member, new ConsumerPartitionAssignor.Subscription(s.topics())));
        assertEquals(kafka(new org.apache.kafka.clients.consumer.RangeAssignor().assign(group.partitionsPerTopic, kafkaSubscriptions)),
            sorted(new RangeAssignor().assign(group.partitionsPerTopic, group.subscriptions)));
        assertEquals(kafka(new org.apache.kafka.clients.consumer.RoundRobinAssignor().assign(group.partitionsPerTopic, kafkaSubscriptions)),
            sorted(new RoundRobinAssignor().assign(group.partitionsPerTopic, group.subscriptions)));
    }

    @Property(tries = 300)
    void stickyMovesOnlyWhatBalanceNeeds(@ForAll @IntRange(min = 1, max = 10) final int before, @ForAll @IntRange(min = 1, max = 10) final int after,
        @ForAll @IntRange(min = 1, max = 40) final int partitions)
    {
        final StickyAssignor sticky = new StickyAssignor();
        final Map<String, Subscription> first = new TreeMap<>();
        for (int m = 0; m < before; m++)
        {
            first.put("m" + m, Subscription.of(List.of("t"), List.of(), -1));
        }
        final Map<String, List<TopicPartition>> previous = sticky.assign(Map.of("t", partitions), first);
        // members 0..after-1 are there next time: the first ones stay, new ones join, the rest left
        final Map<String, Subscription> second = new TreeMap<>();
        for (int m = 0; m < after; m++)
        {
            second.put("m" + m, Subscription.of(List.of("t"), previous.getOrDefault("m" + m, List.of()), 1));
        }
        final Map<String, List<TopicPartition>> next = sticky.assign(Map.of("t", partitions), second);
        int moved = 0;
        for (int m = 0; m < after; m++)
        {
            final Set<TopicPartition> kept = new HashSet<>(previous.getOrDefault("m" + m, List.of()));
            final Set<TopicPartition> now = new HashSet<>(next.get("m" + m));
            final Set<TopicPartition> gained = new HashSet<>(now);
            gained.removeAll(kept);
            moved += gained.size();
            if (m < before && m < after)
            {
                final Set<TopicPartition> lost = new HashSet<>(kept);
                lost.removeAll(now);
                assertTrue(lost.isEmpty() || gained.isEmpty(), "a member that stays either loses or gains, never both: " + next);
            }
        }
        final int min = next.values().stream().mapToInt(List::size).min().orElseThrow();
        final int max = next.values().stream().mapToInt(List::size).max().orElseThrow();
        assertTrue(max - min <= 1, "balanced: " + next);
        // The fewest moves possible: balanced targets are floor(P/n) or one more; the staying
        // members with the most partitions get the larger targets and keep up to them.
        final List<Integer> staying = new ArrayList<>();
        for (int m = 0; m < Math.min(before, after); m++)
        {
            staying.add(previous.get("m" + m).size());
        }
        staying.sort(java.util.Comparator.reverseOrder());
        int keptAtMost = 0;
        for (int i = 0; i < staying.size(); i++)
        {
            keptAtMost += Math.min(staying.get(i), partitions / after + (i < partitions % after ? 1 : 0));
        }
        assertEquals(partitions - keptAtMost, moved, "the fewest moves: " + previous + " -> " + next);
    }

    @Provide
    Arbitrary<Group> groups()
    {
        final Arbitrary<Map<String, Integer>> topics = Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"),
            Arbitraries.integers().between(1, 12)).ofMinSize(1).ofMaxSize(4);
        final Arbitrary<Integer> members = Arbitraries.integers().between(1, 9);
        return Combinators.combine(topics, members, Arbitraries.randomValue(r -> r.nextLong())).as((perTopic, count, seed) ->
        {
            final java.util.Random random = new java.util.Random(seed);
            final List<String> names = new ArrayList<>(perTopic.keySet());
            names.add("missing"); // subscribed, but no such topic
            final Map<String, Subscription> subscriptions = new TreeMap<>();
            for (int m = 0; m < count; m++)
            {
                final List<String> chosen = new ArrayList<>();
                for (final String name : names)
                {
                    if (random.nextInt(3) > 0)
                    {
                        chosen.add(name);
                    }
                }
                if (chosen.isEmpty())
                {
                    chosen.add(names.get(0));
                }
                subscriptions.put("member-" + (char)('a' + m) + random.nextInt(100), Subscription.of(chosen, List.of(), -1));
            }
            return new Group(perTopic, subscriptions);
        });
    }

    private static Map<String, List<TopicPartition>> kafka(final Map<String, List<org.apache.kafka.common.TopicPartition>> assignment)
    {
        final Map<String, List<TopicPartition>> converted = new TreeMap<>();
        assignment.forEach((member, partitions) -> converted.put(member,
            sort(partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList())));
        return converted;
    }

    private static Map<String, List<TopicPartition>> sorted(final Map<String, List<TopicPartition>> assignment)
    {
        final Map<String, List<TopicPartition>> sorted = new TreeMap<>();
        assignment.forEach((member, partitions) -> sorted.put(member, sort(partitions)));
        return sorted;
    }

    private static List<TopicPartition> sort(final List<TopicPartition> partitions)
    {
        final List<TopicPartition> copy = new ArrayList<>(partitions);
        copy.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return copy;
    }

    /** A random group: topics with partition counts, and members' subscriptions. */
    record Group(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions)
    {
    }
}
