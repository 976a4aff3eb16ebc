package io.tidemark.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupResult;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Static membership ({@code group.instance.id}) and cooperative rebalancing of classic
 * consumer groups, through Kafka's consumer and Admin, against {@code tidemark server} and
 * Apache Kafka (the oracle) with the same expectations: a static consumer restarted within its
 * session gets its partitions back without the other member seeing a revocation, where a
 * dynamic one rebalances the group; a second consumer with the same instance id fences the
 * first; an administrator removes static members by instance id; a cooperative-sticky group
 * moves only the partitions that must move, never lets two members own one, and, committing
 * as it goes, reads every record once while members join and leave.
 */
class StaticMembershipTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** How often each member heartbeats ({@code heartbeat.interval.ms}). */
    private static final int HEARTBEAT_INTERVAL_MS = 300;

    private static Properties config(final String broker, final String group, final String instanceId, final boolean cooperative)
        throws Exception
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.get(broker).bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Long enough that a loaded machine never expires a member these scenarios keep.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        // A classic member learns of a rebalance from a heartbeat's answer: at the default 3 s
        // each rebalance of these scenarios (up to four in one) waited seconds for the members
        // to notice it. The session above stays a hundred heartbeats long.
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(HEARTBEAT_INTERVAL_MS));
        if (instanceId != null)
        {
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        if (cooperative)
        {
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return config;
    }

    private static void createTopic(final String broker, final String topic, final int partitions) throws Exception
    {
        try (Admin admin = SharedBrokers.admin(broker))
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get(1, TimeUnit.MINUTES);
        }
    }

    /** Polls every member in turn (rebalances need each to rejoin inside its poll) until the condition holds. */
    private static void pollUntil(final Collection<Member> members, final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what + "; owners: " + members.stream().map(m -> m.name + "=" + m.owned).toList());
            }
            for (final Member member : members)
            {
                member.poll();
            }
        }
    }

    private static int owned(final Collection<Member> members)
    {
        return members.stream().mapToInt(m -> m.owned.size()).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aRestartedStaticConsumerGetsItsPartitionsBackWithoutARebalance(final String broker) throws Exception
    {
        final String group = "static-membership-restart-static-" + broker;
        createTopic(broker, group, 4);
        final Group members = new Group();
        try (Member other = members.join("other", config(broker, group, null, false), group))
        {
            Member restarted = members.join("restarted", config(broker, group, "restarted", false), group);
            try
            {
                final Member first = restarted;
                pollUntil(List.of(first, other), () -> !first.owned.isEmpty() && !other.owned.isEmpty() && owned(List.of(first, other)) == 4,
                    "both own partitions");
                final Set<TopicPartition> before = Set.copyOf(first.owned);
                final Set<TopicPartition> otherBefore = Set.copyOf(other.owned);
                final int revocations = other.revocations;
                first.close();

                restarted = members.join("restarted", config(broker, group, "restarted", false), group);
                final Member again = restarted;
                pollUntil(List.of(again, other), () -> !again.owned.isEmpty(), "the restarted static consumer owns partitions");
                assertEquals(before, again.owned, "it takes over its partitions");
                assertEquals(otherBefore, other.owned);
                assertEquals(revocations, other.revocations, "no rebalance: the other member revoked nothing");
                members.assertNoPartitionOwnedTwice();
            }
            finally
            {
                restarted.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aRestartedDynamicConsumerRebalancesTheGroup(final String broker) throws Exception
    {
        final String group = "static-membership-restart-dynamic-" + broker;
        createTopic(broker, group, 4);
        final Group members = new Group();
        try (Member other = members.join("other", config(broker, group, null, false), group))
        {
            final int revocations;
            try (Member first = members.join("restarted", config(broker, group, null, false), group))
            {
                pollUntil(List.of(first, other), () -> !first.owned.isEmpty() && !other.owned.isEmpty() && owned(List.of(first, other)) == 4,
                    "both own partitions");
                revocations = other.revocations;
            }
            try (Member again = members.join("restarted", config(broker, group, null, false), group))
            {
                pollUntil(List.of(again, other), () -> !again.owned.isEmpty() && owned(List.of(again, other)) == 4,
                    "the restarted dynamic consumer owns partitions");
                assertTrue(other.revocations > revocations, "the leave and the rejoin rebalanced the other member");
                members.assertNoPartitionOwnedTwice();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aSecondConsumerWithTheSameInstanceIdFencesTheFirst(final String broker) throws Exception
    {
        final String group = "static-membership-fenced-" + broker;
        createTopic(broker, group, 2);
        final Group members = new Group();
        try (Member older = members.join("older", config(broker, group, "twin", false), group);
            Member newer = members.join("newer", config(broker, group, "twin", false), group);
            Admin admin = SharedBrokers.admin(broker))
        {
            pollUntil(List.of(older), () -> older.owned.size() == 2, "the first owns both partitions");
            final Set<TopicPartition> owned = Set.copyOf(older.owned);
            pollUntil(List.of(newer), () -> newer.owned.equals(owned), "the second takes the first's partitions over");

            final TopicPartition partition = owned.iterator().next();
            assertThrows(FencedInstanceIdException.class, () ->
            {
                final long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (System.nanoTime() < deadline)
                {
                    older.consumer.poll(Duration.ofMillis(100));
                    older.consumer.commitSync(Map.of(partition, new OffsetAndMetadata(0)));
                }
            }, "the older consumer's poll or commit is fenced");

            final ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get(1, TimeUnit.MINUTES).get(group);
            assertEquals(1, described.members().size(), "one member per instance id");
            final MemberDescription member = described.members().iterator().next();
            assertEquals("twin", member.groupInstanceId().orElseThrow());
            assertEquals(newer.consumer.groupMetadata().memberId(), member.consumerId());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void anAdministratorRemovesStaticMembersByInstanceId(final String broker) throws Exception
    {
        final String group = "static-membership-remove-" + broker;
        createTopic(broker, group, 4);
        final Group members = new Group();
        try (Member staying = members.join("staying", config(broker, group, "staying", false), group);
            Admin admin = SharedBrokers.admin(broker))
        {
            try (Member gone = members.join("gone", config(broker, group, "gone", false), group))
            {
                pollUntil(List.of(staying, gone), () -> !staying.owned.isEmpty() && !gone.owned.isEmpty() && owned(List.of(staying, gone)) == 4,
                    "both own partitions");
            }
            assertEquals(Set.of("staying", "gone"), instanceIds(admin, group), "a closed static member stays until its session expires");

            final MemberToRemove unknown = new MemberToRemove("nobody");
            final RemoveMembersFromConsumerGroupResult refused = admin.removeMembersFromConsumerGroup(group,
                new RemoveMembersFromConsumerGroupOptions(List.of(unknown)));
            final ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.memberResult(unknown).get(1, TimeUnit.MINUTES));
            assertInstanceOf(UnknownMemberIdException.class, failure.getCause());
            assertEquals(Set.of("staying", "gone"), instanceIds(admin, group), "the refused removal changed nothing");

            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove("gone"))))
                .all().get(1, TimeUnit.MINUTES);
            pollUntil(List.of(staying), () -> staying.owned.size() == 4, "the remaining member owns every partition");
            assertEquals(Set.of("staying"), instanceIds(admin, group));
            members.assertNoPartitionOwnedTwice();
        }
    }

    private static Set<String> instanceIds(final Admin admin, final String group) throws Exception
    {
        final Set<String> ids = new HashSet<>();
        for (final MemberDescription member : admin.describeConsumerGroups(List.of(group)).all().get(1, TimeUnit.MINUTES).get(group).members())
        {
            ids.add(member.groupInstanceId().orElse("(dynamic)"));
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aCooperativeGroupMovesOnlyWhatItMustAndReadsEveryRecordOnce(final String broker) throws Exception
    {
        final String group = "static-membership-cooperative-" + broker;
        createTopic(broker, group, 6);
        final Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.get(broker).bootstrap());
        final Group members = new Group();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
            Member first = members.join("first", config(broker, group, null, true), group);
            Member third = new Member("third", config(broker, group, null, true), members))
        {
            final List<String> sent = new ArrayList<>();
            try (Member second = members.join("second", config(broker, group, null, true), group))
            {
                send(producer, group, sent);
                pollUntil(List.of(first, second), () -> owned(List.of(first, second)) == 6 && !first.owned.isEmpty() && !second.owned.isEmpty() &&
                    members.seen.keySet().containsAll(sent), "two members share the partitions and read what was sent");

                final Set<TopicPartition> firstBefore = Set.copyOf(first.owned);
                final Set<TopicPartition> secondBefore = Set.copyOf(second.owned);
                members.forgetRevocations();
                third.consumer.subscribe(List.of(group), third);
                send(producer, group, sent);
                pollUntil(List.of(first, second, third), () -> first.owned.size() == 2 && second.owned.size() == 2 && third.owned.size() == 2 &&
                    members.seen.keySet().containsAll(sent), "the newcomer gets its share (the second rebalance) and all is read");
                assertTrue(firstBefore.containsAll(first.owned) && secondBefore.containsAll(second.owned), "the others kept the rest");
                final Set<TopicPartition> moved = new HashSet<>(first.revoked);
                moved.addAll(second.revoked);
                assertEquals(third.owned, moved, "only the newcomer's partitions were revoked");
                members.forgetRevocations();
            }
            send(producer, group, sent);
            pollUntil(List.of(first, third), () -> owned(List.of(first, third)) == 6 && members.seen.keySet().containsAll(sent),
                "the leaver's partitions are taken over and all is read");
            assertEquals(Set.of(), first.revoked, "the members that stay revoke nothing when one leaves");
            assertEquals(Set.of(), third.revoked);
            members.assertNoPartitionOwnedTwice();
            assertEquals(0, first.lost + third.lost, "no partition was lost");
            assertEquals(sent.size(), members.seen.size());
            assertTrue(members.seen.values().stream().allMatch(count -> count == 1), "every record read once: " + members.seen);
            assertEquals(List.of(), members.failedCommits);
        }
    }

    private static void send(final KafkaProducer<String, String> producer, final String topic, final List<String> sent) throws Exception
    {
        final int from = sent.size();
        for (int i = from; i < from + 120; i++)
        {
            producer.send(new ProducerRecord<>(topic, i % 6, null, "record-" + i));
            sent.add("record-" + i);
        }
        producer.flush();
    }

    /** What the members of one group saw: who owns which partition, what was read, what went wrong. */
    private static final class Group
    {
        final Map<TopicPartition, String> owners = new HashMap<>();
        final List<String> ownedTwice = new ArrayList<>();
        final Map<String, Integer> seen = new HashMap<>();
        final List<String> failedCommits = new ArrayList<>();
        final List<Member> members = new ArrayList<>();

        Member join(final String name, final Properties config, final String topic)
        {
            final Member member = new Member(name, config, this);
            member.consumer.subscribe(List.of(topic), member);
            return member;
        }

        void forgetRevocations()
        {
            members.forEach(m -> m.revoked.clear());
        }

        void assertNoPartitionOwnedTwice()
        {
            assertEquals(List.of(), ownedTwice, "a partition was given to a member while another still owned it");
        }
    }

    /**
     * A consumer of the group, polled by the test's thread, whose listener keeps the group's
     * table of owners and commits what it read before giving a partition up, as an application
     * that reads each record once does.
     */
    private static final class Member implements ConsumerRebalanceListener, AutoCloseable
    {
        final String name;
        final KafkaConsumer<String, String> consumer;
        final Group group;
        final Set<TopicPartition> owned = new HashSet<>();
        final Set<TopicPartition> revoked = new HashSet<>();
        final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
        int revocations;
        int lost;
        private boolean closed;

        Member(final String name, final Properties config, final Group group)
        {
            this.name = name;
            this.group = group;
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
            group.members.add(this);
        }

        void poll()
        {
            for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)))
            {
                group.seen.merge(record.value(), 1, Integer::sum);
                uncommitted.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            if (!uncommitted.isEmpty())
            {
                try
                {
                    consumer.commitSync(uncommitted);
                    uncommitted.clear();
                }
                catch (final RebalanceInProgressException | CommitFailedException e)
                {
                    // Committed after the rebalance, or, if the partition moves, on its revocation.
                }
            }
        }

        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
        {
            if (partitions.isEmpty())
            {
                return;
            }
            revocations++;
            final Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>(uncommitted);
            last.keySet().retainAll(partitions);
            if (!last.isEmpty())
            {
                try
                {
                    consumer.commitSync(last);
                    uncommitted.keySet().removeAll(partitions);
                }
                catch (final RuntimeException e)
                {
                    group.failedCommits.add(name + " could not commit " + last + " before giving it up: " + e);
                }
            }
            giveUp(partitions);
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
        {
            for (final TopicPartition partition : partitions)
            {
                final String owner = group.owners.put(partition, name);
                if (owner != null && !owner.equals(name))
                {
                    group.ownedTwice.add(partition + " given to " + name + " while " + owner + " owned it");
                }
            }
            owned.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(final Collection<TopicPartition> partitions)
        {
            lost += partitions.size();
            giveUp(partitions);
        }

        private void giveUp(final Collection<TopicPartition> partitions)
        {
            for (final TopicPartition partition : partitions)
            {
                group.owners.remove(partition, name);
            }
            owned.removeAll(partitions);
        }

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                consumer.close(Duration.ofSeconds(30));
            }
        }
    }
}
