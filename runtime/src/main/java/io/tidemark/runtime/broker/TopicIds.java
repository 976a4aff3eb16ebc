package io.tidemark.runtime.broker;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.tidemark.log.topic.LogManager;
import org.apache.kafka.common.Uuid;

/**
 * Topic ids for the APIs that need them (Metadata, the consumer group protocol, whose
 * assignments name topics by id). The log keeps no ids, so a topic's id is derived from its
 * name: the same on every call and after restarts, with one consequence: a topic deleted and
 * created again under the same name has the same id.
 */
public final class TopicIds
{
    private TopicIds()
    {
    }

    /**
     * @param topic a topic's name.
     * @return its id, never Kafka's zero id nor one of its reserved ids.
     */
    public static Uuid of(final String topic)
    {
        final UUID uuid = UUID.nameUUIDFromBytes(("tidemark-topic:" + topic).getBytes(StandardCharsets.UTF_8));
        // Kafka's ids never start with '-' in their base64 form: clear the top bit, as its own generator ensures.
        return new Uuid(uuid.getMostSignificantBits() & Long.MAX_VALUE, uuid.getLeastSignificantBits());
    }

    /**
     * @param logs the topics.
     * @return every topic's name by its id.
     */
    public static Map<Uuid, String> names(final LogManager logs)
    {
        final Map<Uuid, String> names = new HashMap<>();
        logs.listTopics().forEach(topic -> names.put(of(topic), topic));
        return names;
    }
}
