package io.tidemark.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.runtime.broker.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's consumer group protocol (KIP-848, {@code group.protocol=consumer}) against
 * {@code tidemark server} and Apache Kafka (the oracle) with the same expectations: consumers
 * joining and leaving share a topic's partitions, no partition ever owned by two of them (as
 * their rebalance listeners see it), every record consumed once across the changes with
 * synchronous commits; a closed member leaves at once; a server-side regular expression picks
 * up a topic created later, a subscription by name the partitions added to its topic; Admin describes the group as a CONSUMER group and lists it under
 * that type; the protocol's errors on the wire; and, on Tidemark, the rebalance statistics of
 * the HTTP API's group description.
 */
class ConsumerProtocolGroupTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final int PARTITIONS = 6;
    private static final int ROUND = 200;

    private static KafkaConsumer<String, String> consumer(final String broker, final String group) throws Exception
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.get(broker).bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static void produce(final KafkaProducer<String, String> producer, final String topic, final int from) throws Exception
    {
        for (int i = from; i < from + ROUND; i++)
        {
            producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
        }
        producer.flush();
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("within " + DEADLINE + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * One consumer on a thread of its own: polls, records what it reads, commits synchronously
     * after each batch, and claims and releases partitions in a table shared by the group's
     * members, where a partition claimed twice is a violation.
     */
    private static final class Member implements AutoCloseable
    {
        private final String name;
        private final KafkaConsumer<String, String> consumer;
        private final Map<TopicPartition, String> owners;
        private final List<String> violations;
        private final Map<String, Integer> consumed;
        private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private volatile Throwable failure;

        Member(final String name, final KafkaConsumer<String, String> consumer, final Map<TopicPartition, String> owners,
            final List<String> violations, final Map<String, Integer> consumed, final String topic)
        {
            this.name = name;
            this.consumer = consumer;
            this.owners = owners;
            this.violations = violations;
            this.consumed = consumed;
            this.thread = new Thread(() -> run(topic), "consumer-protocol-" + name);
            thread.start();
        }

        private void run(final String topic)
        {
            try
            {
                consumer.subscribe(List.of(topic), new ConsumerRebalanceListener()
                {
                    @Override
                    public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                    {
                        release(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                    {
                        for (final TopicPartition partition : partitions)
                        {
                            final String previous = owners.putIfAbsent(partition, name);
                            if (previous != null && !previous.equals(name))
                            {
                                violations.add(partition + " assigned to " + name + " while " + previous + " owns it");
                            }
                            owned.add(partition);
                        }
                    }

                    @Override
                    public void onPartitionsLost(final Collection<TopicPartition> partitions)
                    {
                        release(partitions);
                    }
                });
                while (!stop.get())
                {
                    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)))
                    {
                        consumed.merge(record.value(), 1, Integer::sum);
                        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    }
                    if (!offsets.isEmpty())
                    {
                        consumer.commitSync(offsets);
                    }
                }
            }
            catch (final Throwable e)
            {
                failure = e;
            }
            finally
            {
                consumer.close();
                release(new ArrayList<>(owned));
            }
        }

        private void release(final Collection<TopicPartition> partitions)
        {
            partitions.forEach(p -> owners.remove(p, name));
            owned.removeAll(partitions);
        }

        int owns()
        {
            return owned.size();
        }

        @Override
        public void close() throws InterruptedException
        {
            stop.set(true);
            thread.join(DEADLINE.toMillis());
            assertFalse(thread.isAlive(), name + " did not close");
            if (failure != null)
            {
                throw new AssertionError(name + " failed", failure);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void membersJoiningAndLeavingShareThePartitionsAndReadEveryRecordOnce(final String broker) throws Exception
    {
        final String topic = "consumer-protocol-share-" + broker;
        final String group = "consumer-protocol-share-group-" + broker;
        final Map<TopicPartition, String> owners = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final Map<String, Integer> consumed = new ConcurrentHashMap<>();
        try (Admin admin = SharedBrokers.admin(broker); KafkaProducer<String, String> producer = SharedBrokers.producer(broker))
        {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short)1))).all().get();
            produce(producer, topic, 0);
            try (Member a = new Member("a", consumer(broker, group), owners, violations, consumed, topic);
                 Member b = new Member("b", consumer(broker, group), owners, violations, consumed, topic))
            {
                await("two members share the partitions", () -> a.owns() > 0 && b.owns() > 0 && a.owns() + b.owns() == PARTITIONS);
                produce(producer, topic, ROUND);
                try (Member c = new Member("c", consumer(broker, group), owners, violations, consumed, topic))
                {
                    await("three members own two partitions each", () -> a.owns() == 2 && b.owns() == 2 && c.owns() == 2);
                    final ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    assertEquals(GroupType.CONSUMER, described.type());
                    assertEquals(3, described.members().size());
                    final Set<TopicPartition> assigned = new HashSet<>();
                    for (final MemberDescription member : described.members())
                    {
                        assigned.addAll(member.assignment().topicPartitions());
                    }
                    assertEquals(PARTITIONS, assigned.size(), "every partition assigned: " + described);
                    produce(producer, topic, 2 * ROUND);

                    b.close();
                    // Far within the session timeout (45 s): the member left, it did not expire.
                    await("the closed member is gone and the others own every partition", () ->
                        a.owns() + c.owns() == PARTITIONS && members(admin, group) == 2);
                    produce(producer, topic, 3 * ROUND);
                    await("every record consumed", () -> consumed.size() == 4 * ROUND);
                    await("the group is stable", () -> state(admin, group) == GroupState.STABLE);

                    if (SharedBrokers.get(broker) instanceof TidemarkBrokerProcess tidemark)
                    {
                        assertRebalancesShown(tidemark, group);
                    }
                    final Collection<GroupListing> consumerGroups = admin.listGroups(new ListGroupsOptions()
                        .withTypes(Set.of(GroupType.CONSUMER))).all().get();
                    assertTrue(consumerGroups.stream().anyMatch(g -> g.groupId().equals(group) && g.type().orElseThrow() == GroupType.CONSUMER),
                        consumerGroups.toString());
                    final Collection<GroupListing> classicGroups = admin.listGroups(new ListGroupsOptions()
                        .withTypes(Set.of(GroupType.CLASSIC))).all().get();
                    assertFalse(classicGroups.stream().anyMatch(g -> g.groupId().equals(group)), classicGroups.toString());
                }
            }
            assertEquals(List.of(), violations);
            consumed.forEach((value, times) -> assertEquals(1, times, value + " consumed " + times + " times"));
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertEquals(4 * ROUND, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum(), committed.toString());
        }
    }

    /**
     * The HTTP API's description of the group carries what ConsumerGroupDescribe has no field
     * for: a target per assignment epoch (at least one per join and leave seen here) and the
     * last rebalance's time until every member had reconciled.
     */
    private static void assertRebalancesShown(final TidemarkBrokerProcess tidemark, final String group) throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tidemark.httpApi() +
            "/groups/" + group)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        final JsonNode described = new ObjectMapper().readTree(response.body());
        assertEquals("Stable", described.path("state").asText(), response.body());
        assertEquals(2, described.path("members").size(), response.body());
        assertTrue(described.path("rebalances").asLong() >= 4, response.body());
        assertTrue(described.path("lastRebalanceMs").asLong() >= 0, response.body());
        assertEquals(described.path("generation").asInt(), described.path("assignmentEpoch").asInt(), response.body());
    }

    private static int members(final Admin admin, final String group)
    {
        try
        {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    private static GroupState state(final Admin admin, final String group)
    {
        try
        {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).groupState();
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aRegularExpressionSubscriptionPicksUpATopicCreatedLater(final String broker) throws Exception
    {
        final String prefix = "consumer-protocol-regex-" + broker + "-";
        final String group = "consumer-protocol-regex-group-" + broker;
        final Set<String> values = ConcurrentHashMap.newKeySet();
        try (Admin admin = SharedBrokers.admin(broker); KafkaProducer<String, String> producer = SharedBrokers.producer(broker);
             KafkaConsumer<String, String> consumer = consumer(broker, group))
        {
            admin.createTopics(List.of(new NewTopic(prefix + "first", 2, (short)1))).all().get();
            producer.send(new ProducerRecord<>(prefix + "first", "k", "in-first")).get();
            consumer.subscribe(new SubscriptionPattern(prefix + ".*"));
            pollUntil(consumer, values, "in-first");

            admin.createTopics(List.of(new NewTopic(prefix + "second", 3, (short)1))).all().get();
            producer.send(new ProducerRecord<>(prefix + "second", "k", "in-second")).get();
            pollUntil(consumer, values, "in-second");

            final ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            assertEquals(GroupType.CONSUMER, described.type());
            final MemberDescription member = described.members().iterator().next();
            assertEquals(5, member.assignment().topicPartitions().size(), described.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void partitionsAddedToASubscribedTopicAreAssigned(final String broker) throws Exception
    {
        final String topic = "consumer-protocol-grow-" + broker;
        final String group = "consumer-protocol-grow-group-" + broker;
        final Set<String> values = ConcurrentHashMap.newKeySet();
        try (Admin admin = SharedBrokers.admin(broker); KafkaProducer<String, String> producer = SharedBrokers.producer(broker);
             KafkaConsumer<String, String> consumer = consumer(broker, group))
        {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short)1))).all().get();
            producer.send(new ProducerRecord<>(topic, 0, "k", "in-0")).get();
            consumer.subscribe(List.of(topic));
            pollUntil(consumer, values, "in-0");

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get();
            producer.send(new ProducerRecord<>(topic, 3, "k", "in-3")).get();
            pollUntil(consumer, values, "in-3");
            assertEquals(4, consumer.assignment().size(), consumer.assignment().toString());
        }
    }

    private static void pollUntil(final KafkaConsumer<String, String> consumer, final Set<String> values, final String value)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!values.contains(value))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("within " + DEADLINE + " the consumer read " + values + ", not " + value);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
        }
    }

    /**
     * The protocol's answers on the wire: a member id the group does not know, a member epoch
     * ahead of the member's, a join without a subscription, a first join that is answered with
     * epoch 1 and the heartbeat interval, and DescribeGroups of a consumer-protocol group.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void heartbeatErrorsAreKafkas(final String broker) throws Exception
    {
        final String topic = "consumer-protocol-wire-" + broker;
        final String group = "consumer-protocol-wire-group-" + broker;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            KafkaTopics.create(admin, new NewTopic(topic, 2, (short)1));
        }
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        try (WireClient wire = new WireClient(Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1))))
        {
            final short version = 1;
            final ConsumerGroupHeartbeatResponseData joined = heartbeat(wire, version, new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId("wire-member-" + broker).setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of(topic)).setTopicPartitions(List.of()));
            assertEquals(Errors.NONE.code(), joined.errorCode(), joined.errorMessage());
            assertTrue(joined.memberEpoch() > 0, joined.toString());
            assertEquals(SharedBrokers.HEARTBEAT_INTERVAL_MS, joined.heartbeatIntervalMs());
            // Kafka may compute the target after answering the join: the partitions come with a later heartbeat.
            ConsumerGroupHeartbeatResponseData.Assignment assignment = joined.assignment();
            int epoch = joined.memberEpoch();
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (assignment == null || assignment.topicPartitions().isEmpty())
            {
                assertTrue(System.nanoTime() < deadline, "no assignment within " + DEADLINE);
                Thread.sleep(50);
                final ConsumerGroupHeartbeatResponseData next = heartbeat(wire, version, new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                    .setMemberId("wire-member-" + broker).setMemberEpoch(epoch).setTopicPartitions(List.of()));
                assertEquals(Errors.NONE.code(), next.errorCode(), next.errorMessage());
                epoch = next.memberEpoch();
                assignment = next.assignment() != null ? next.assignment() : assignment;
            }
            assertEquals(List.of(0, 1), assignment.topicPartitions().get(0).partitions());

            final ConsumerGroupHeartbeatResponseData fenced = heartbeat(wire, version, new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId("wire-member-" + broker).setMemberEpoch(epoch + 5));
            assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), fenced.errorCode());

            final ConsumerGroupHeartbeatResponseData unknown = heartbeat(wire, version, new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId("wire-stranger-" + broker).setMemberEpoch(1));
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), unknown.errorCode());

            final ConsumerGroupHeartbeatResponseData noSubscription = heartbeat(wire, version, new ConsumerGroupHeartbeatRequestData()
                .setGroupId(group).setMemberId("wire-other-" + broker).setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                .setTopicPartitions(List.of()));
            assertEquals(Errors.INVALID_REQUEST.code(), noSubscription.errorCode());
            assertNotEquals(null, noSubscription.errorMessage());

            final DescribeGroupsResponseData classic = (DescribeGroupsResponseData)wire.send(new DescribeGroupsRequestData()
                .setGroups(List.of(group)), (short)5);
            assertEquals("Dead", classic.groups().get(0).groupState(), classic.toString());

            final ConsumerGroupHeartbeatResponseData left = heartbeat(wire, version, new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId("wire-member-" + broker).setMemberEpoch(-1));
            assertEquals(Errors.NONE.code(), left.errorCode());
            assertEquals(-1, left.memberEpoch());
        }
    }

    private static ConsumerGroupHeartbeatResponseData heartbeat(final WireClient wire, final short version,
        final ConsumerGroupHeartbeatRequestData request) throws Exception
    {
        return (ConsumerGroupHeartbeatResponseData)wire.send(request, version);
    }
}
