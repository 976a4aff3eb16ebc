package io.tidemark.runtime.broker;

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
}
