package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics the way Kafka's own tests do: Apache Kafka answers CreateTopics once its controller has the
 * topic, and its broker learns of it a moment later, so a request that does not retry (DescribeConfigs, a raw
 * Fetch) can be told the topic does not exist. Tidemark knows the topic when it answers; waiting costs it nothing.
 */
public final class KafkaTopics
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private KafkaTopics()
    {
    }

    /** Creates the topics and returns once the broker describes every partition of each with a leader. */
    public static void create(final Admin admin, final NewTopic... topics) throws Exception
    {
        admin.createTopics(List.of(topics)).all().get(1, TimeUnit.MINUTES);
        for (final NewTopic topic : topics)
        {
            awaitLeaders(admin, topic.name());
        }
    }

    /** Returns once the broker describes every partition of the topic with a leader; fails at the deadline. */
    public static void awaitLeaders(final Admin admin, final String topic) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!led(admin, topic))
        {
            assertTrue(System.nanoTime() < deadline, "the broker describes " + topic + " with a leader for each partition");
            Thread.sleep(20);
        }
    }

    private static boolean led(final Admin admin, final String topic) throws Exception
    {
        try
        {
            final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(1, TimeUnit.MINUTES).get(topic);
            return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        }
        catch (final ExecutionException e)
        {
            if (e.getCause() instanceof UnknownTopicOrPartitionException)
            {
                return false;
            }
            throw e;
        }
    }

    /** @return a topic of {@code partitions} partitions with the given configs. */
    public static NewTopic topic(final String name, final int partitions, final Map<String, String> configs)
    {
        return new NewTopic(name, partitions, (short)1).configs(configs);
    }
}
