package io.tidemark.runtime.http;

import java.util.List;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.topic.LogManager;

/**
 * {@code /api/topics}: the topics of the server's log, read from the {@link LogManager} as
 * the Kafka listener's Metadata and ListOffsets handlers read them.
 */
final class TopicsResource
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final LogManager logs;

    /**
     * @param logs the server's log.
     */
    TopicsResource(final LogManager logs)
    {
        this.logs = logs;
    }

    /**
     * @return {@code {"topics": [...]}}: each topic's partition count, records, size and whether
     *         it is internal, and the topics that could not be opened, with why.
     */
    ObjectNode list()
    {
        final ArrayNode topics = JSON.arrayNode();
        for (final String name : logs.listTopics())
        {
            try
            {
                final List<PartitionLog> partitions = logs.partitions(name);
                long records = 0;
                long size = 0;
                for (final PartitionLog log : partitions)
                {
                    records += log.logEndOffset() - log.logStartOffset();
                    size += log.sizeInBytes();
                }
                topics.addObject().put("name", name).put("internal", name.startsWith("__")).put("partitions", partitions.size())
                    .put("records", records).put("sizeBytes", size);
            }
            catch (final UnknownTopicOrPartitionException deleted)
            {
                // Deleted since it was listed: it is no longer a topic to show.
            }
        }
        final ArrayNode unopened = JSON.arrayNode();
        logs.unopenedTopics().forEach((name, reason) -> unopened.addObject().put("name", name).put("reason", reason));
        final ObjectNode answer = JSON.objectNode();
        answer.set("topics", topics);
        answer.set("unopened", unopened);
        return answer;
    }

    /**
     * @param name a topic.
     * @return the topic's partitions (log start, log end and last stable offsets, size), its
     *         effective configuration and the keys set for it alone.
     * @throws ApiException 404 if there is no such topic.
     */
    ObjectNode describe(final String name)
    {
        try
        {
            final ArrayNode partitions = JSON.arrayNode();
            for (final PartitionLog log : logs.partitions(name))
            {
                partitions.addObject().put("partition", log.topicPartition().partition()).put("logStartOffset", log.logStartOffset())
                    .put("logEndOffset", log.logEndOffset()).put("lastStableOffset", log.lastStableOffset()).put("sizeBytes", log.sizeInBytes());
            }
            final ObjectNode configs = JSON.objectNode();
            logs.topicConfig(name).toMap().forEach(configs::put);
            final ObjectNode overrides = JSON.objectNode();
            new TreeMap<>(logs.describeTopic(name).overrides()).forEach(overrides::put);
            final ObjectNode answer = JSON.objectNode().put("name", name).put("internal", name.startsWith("__"));
            answer.set("partitions", partitions);
            answer.set("configs", configs);
            answer.set("overrides", overrides);
            return answer;
        }
        catch (final UnknownTopicOrPartitionException e)
        {
            throw ApiException.notFound("no topic '" + name + "'");
        }
    }
}
