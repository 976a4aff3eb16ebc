package io.tidemark.log;

/**
 * One partition of a topic: the unit of ordering, of storage and of consumer assignment.
 *
 * @param topic the topic name.
 * @param partition the partition number, from 0.
 */
public record TopicPartition(String topic, int partition)
{
    @Override
    public String toString()
    {
        return topic + "-" + partition;
    }
}
