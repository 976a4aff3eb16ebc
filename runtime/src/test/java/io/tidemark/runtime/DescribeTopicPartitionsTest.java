package io.tidemark.runtime;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.tidemark.runtime.broker.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * DescribeTopicPartitions (KIP-966) against {@code tidemark server} and Apache Kafka (the oracle)
 * with the same expectations: kafka-clients' Admin pages through topics with its own partition
 * limit and sees every partition led by the one broker, with empty eligible-leader lists (which
 * only this API carries: through Metadata they are unknown); the raw pages, their cursors and
 * refusals are Kafka's; and {@code kafka-topics --describe} prints the same lines from both,
 * apart from the topic ids, node ids and the cluster-wide {@code min.insync.replicas} Kafka lists.
 */
class DescribeTopicPartitionsTest
{
    private static final Set<AclOperation> TOPIC_OPERATIONS = EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
        AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final short VERSION = 0;

    private static int node(final Admin admin) throws Exception
    {
        final List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(1, TimeUnit.MINUTES));
        assertEquals(1, nodes.size(), nodes.toString());
        return nodes.get(0).id();
    }

    private static int port(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void adminPagesThroughTheTopicsWithItsPartitionLimit(final String broker) throws Exception
    {
        final String many = "dtp-admin-many";
        final String few = "dtp-admin-few";
        try (Admin admin = SharedBrokers.admin(broker))
        {
            KafkaTopics.create(admin, new NewTopic(many, 10, (short)1), new NewTopic(few, 3, (short)1));
            final int node = node(admin);
            // Three partitions a response: the topics take five requests, each from the last one's cursor.
            final DescribeTopicsOptions options = new DescribeTopicsOptions().partitionSizeLimitPerResponse(3).includeAuthorizedOperations(true);
            final Map<String, TopicDescription> described = admin.describeTopics(List.of(many, few), options).allTopicNames()
                .get(1, TimeUnit.MINUTES);
            assertEquals(Set.of(many, few), described.keySet());
            for (final TopicDescription topic : described.values())
            {
                final int count = topic.name().equals(many) ? 10 : 3;
                assertEquals(IntStream.range(0, count).boxed().toList(), topic.partitions().stream().map(TopicPartitionInfo::partition).toList());
                assertNotEquals(Uuid.ZERO_UUID, topic.topicId());
                assertFalse(topic.isInternal());
                assertEquals(TOPIC_OPERATIONS, topic.authorizedOperations());
                for (final TopicPartitionInfo partition : topic.partitions())
                {
                    assertEquals(node, partition.leader().id(), partition.toString());
                    assertEquals(List.of(node), partition.replicas().stream().map(Node::id).toList(), partition.toString());
                    assertEquals(List.of(node), partition.isr().stream().map(Node::id).toList(), partition.toString());
                    // Empty, not unknown (null): the partitions came from DescribeTopicPartitions, not Metadata.
                    assertEquals(List.of(), partition.elr(), partition.toString());
                    assertEquals(List.of(), partition.lastKnownElr(), partition.toString());
                }
            }

            final String absent = "dtp-admin-absent";
            final Map<String, ? extends java.util.concurrent.Future<TopicDescription>> mixed =
                admin.describeTopics(List.of(few, absent), options).topicNameValues();
            assertEquals(3, mixed.get(few).get(1, TimeUnit.MINUTES).partitions().size());
            assertInstanceOf(UnknownTopicOrPartitionException.class,
                assertThrows(ExecutionException.class, () -> mixed.get(absent).get(1, TimeUnit.MINUTES)).getCause());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void pagesEndWithKafkasCursors(final String broker) throws Exception
    {
        final String a = "dtp-wire-a";
        final String b = "dtp-wire-b";
        final String absent = "dtp-wire-c";
        final int node;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            KafkaTopics.create(admin, new NewTopic(a, 10, (short)1), new NewTopic(b, 4, (short)1));
            node = node(admin);
        }
        try (WireClient client = new WireClient(port(broker)))
        {
            final List<String> named = List.of(b, absent, a);
            // Named topics are described in name order; a limit that cuts a topic short points into it.
            assertEquals("a[0-4] next a:5", page(client, node, named, null, 5));
            // A page that ends with a whole topic points at the next topic's first partition.
            assertEquals("a[5-9] next b:0", page(client, node, named, cursor(a, 5), 5));
            assertEquals("b[0-3] c UNKNOWN_TOPIC_OR_PARTITION", page(client, node, named, cursor(b, 0), 5));
            // The topics before the cursor's are left out.
            assertEquals("b[2-3] c UNKNOWN_TOPIC_OR_PARTITION", page(client, node, named, cursor(b, 2), 100));
            assertEquals("b[]", page(client, node, List.of(b), cursor(b, 7), 100));
            // A limit below 1 is 1.
            assertEquals("a[0] next a:1", page(client, node, named, null, 0));
            assertEquals("a[0] next a:1", page(client, node, named, null, -1));
            // A refused request answers every topic it names with the error, in the request's order.
            assertEquals("b INVALID_REQUEST c INVALID_REQUEST a INVALID_REQUEST", page(client, node, named, cursor(a, -1), 3),
                "a cursor's partition below 0");
            assertEquals("! INVALID_TOPIC_EXCEPTION b[0-3]", page(client, node, List.of(b, "dtp-wire-!"), null, 30), "an invalid name");
            assertEquals("a INVALID_REQUEST", page(client, node, List.of(a), cursor(b, 0), 5), "the cursor's topic must be named");

            // No topic named: every topic, from the cursor (other tests' topics come before and after these).
            assertEquals("a[8-9] b[0] next b:1", page(client, node, List.of(), cursor(a, 8), 3));
            assertEquals("a[8-9] next b:0", page(client, node, List.of(), cursor(a, 8), 2));
        }
    }

    private static Cursor cursor(final String topic, final int partition)
    {
        return new Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    /**
     * Sends one request and checks what every response answers alike (one broker leads, replicates
     * and is the ISR of every partition, no ELR, every operation authorized).
     *
     * @return the page, short: each topic by its last letter with its partitions' range or its
     *         error, then the next cursor.
     */
    private static String page(final WireClient client, final int node, final List<String> topics, final Cursor cursor, final int limit)
        throws Exception
    {
        final DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData().setCursor(cursor).setResponsePartitionLimit(limit)
            .setTopics(topics.stream().map(name -> new TopicRequest().setName(name)).toList());
        final DescribeTopicPartitionsResponseData response = (DescribeTopicPartitionsResponseData)client.send(request, VERSION);
        final List<String> parts = new ArrayList<>();
        final int operations = Utils.to32BitField(TOPIC_OPERATIONS.stream().map(AclOperation::code).collect(Collectors.toSet()));
        for (final DescribeTopicPartitionsResponseTopic topic : response.topics())
        {
            // Another test's topic, when all are asked for.
            if (!topic.name().startsWith("dtp-wire-"))
            {
                continue;
            }
            final String shortName = topic.name().substring(topic.name().length() - 1);
            if (topic.errorCode() != Errors.NONE.code())
            {
                parts.add(shortName + " " + Errors.forCode(topic.errorCode()).name());
                continue;
            }
            assertNotEquals(Uuid.ZERO_UUID, topic.topicId());
            assertEquals(operations, topic.topicAuthorizedOperations());
            final List<Integer> indexes = new ArrayList<>();
            for (final DescribeTopicPartitionsResponsePartition partition : topic.partitions())
            {
                assertEquals(Errors.NONE.code(), partition.errorCode());
                assertEquals(node, partition.leaderId());
                assertEquals(0, partition.leaderEpoch());
                assertEquals(List.of(node), partition.replicaNodes());
                assertEquals(List.of(node), partition.isrNodes());
                assertEquals(List.of(), partition.eligibleLeaderReplicas());
                assertEquals(List.of(), partition.lastKnownElr());
                assertEquals(List.of(), partition.offlineReplicas());
                indexes.add(partition.partitionIndex());
            }
            parts.add(shortName + range(indexes));
        }
        if (response.nextCursor() != null)
        {
            final String next = response.nextCursor().topicName();
            parts.add("next " + next.substring(next.length() - 1) + ":" + response.nextCursor().partitionIndex());
        }
        return String.join(" ", parts);
    }

    /** @return {@code [first-last]} of consecutive indexes, {@code [i]} of one, {@code []} of none. */
    private static String range(final List<Integer> indexes)
    {
        if (indexes.isEmpty())
        {
            return "[]";
        }
        assertEquals(IntStream.rangeClosed(indexes.get(0), indexes.get(indexes.size() - 1)).boxed().toList(), indexes, "consecutive");
        return indexes.size() == 1 ? "[" + indexes.get(0) + "]" : "[" + indexes.get(0) + "-" + indexes.get(indexes.size() - 1) + "]";
    }

    @Test
    void kafkaTopicsDescribePrintsWhatItPrintsForKafka() throws Exception
    {
        final String topic = "dtp-tool";
        final List<List<String>> commands = new ArrayList<>();
        final List<Integer> nodes = new ArrayList<>();
        for (final String broker : List.of("tidemark", "kafka"))
        {
            try (Admin admin = SharedBrokers.admin(broker))
            {
                KafkaTopics.create(admin, new NewTopic(topic, 3, (short)1));
                nodes.add(node(admin));
            }
            commands.add(List.of("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", SharedBrokers.get(broker).bootstrap(),
                "--describe", "--topic", topic));
        }
        final List<TransactionsTool.Run> runs = TransactionsTool.runTools(commands);
        runs.forEach(run -> assertEquals(0, run.exitCode(), run.toString()));
        final String tidemark = normalized(runs.get(0).out(), nodes.get(0));
        assertEquals(normalized(runs.get(1).out(), nodes.get(1)), tidemark);
        assertFalse(tidemark.contains("N/A"), tidemark);
        assertEquals(4, tidemark.lines().count(), tidemark);
    }

    /** @return the tool's output with the topic id and the broker's node id replaced by placeholders. */
    private static String normalized(final String out, final int node)
    {
        // Kafka's storage is formatted with min.insync.replicas as a cluster-wide default, which the tool lists.
        return out.replaceAll("TopicId: \\S+", "TopicId: <id>").replace("Configs: min.insync.replicas=1", "Configs: ")
            .replaceAll("(Leader|Replicas|Isr): " + node + "(?=\\s|$)", "$1: <node>");
    }
}
