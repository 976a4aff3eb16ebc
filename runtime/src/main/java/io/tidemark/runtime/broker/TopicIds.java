package io.tidemark.runtime.broker;

import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.topic.TopicId;
import org.apache.kafka.common.Uuid;

/**
 * The log's topic ids as the protocol's {@link Uuid}s and back: the same 128 bits.
 */
public final class TopicIds
{
    private TopicIds()
    {
    }

    /**
     * @param id a topic's id in the log.
     * @return the id clients see.
     */
    public static Uuid toUuid(final TopicId id)
    {
        return new Uuid(id.mostSignificantBits(), id.leastSignificantBits());
    }

    /**
     * @param uuid an id a client sent.
     * @return the log's form of it, to look the topic up with.
     */
    public static TopicId fromUuid(final Uuid uuid)
    {
        return new TopicId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /**
     * @param logs the topics.
     * @param topic a topic's name.
     * @return its id as clients see it; Kafka's zero id if the topic is gone (deleted after a
     *         partition of it was assigned).
     */
    public static Uuid of(final LogManager logs, final String topic)
    {
        try
        {
            return toUuid(logs.topicId(topic));
        }
        catch (final UnknownTopicOrPartitionException e)
        {
            return Uuid.ZERO_UUID;
        }
    }

    /**
     * @param logs the topics.
     * @param id an id a client sent.
     * @return the name of the topic that has it, or null if none has.
     */
    public static String name(final LogManager logs, final Uuid id)
    {
        return logs.topicName(fromUuid(id));
    }
}
