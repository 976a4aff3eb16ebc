package io.tidemark.log.producer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kafka's default partitioning. A keyed record goes to
 * {@code toPositive(murmur2(key)) % partitionCount}, so equal keys share a partition (and so
 * their order) and land where Kafka would put them. Records without a key stick to one
 * partition per topic until its batch is complete, then move to another chosen at random:
 * full batches instead of one small batch per partition, and an even spread over time.
 */
public final class DefaultPartitioner implements Partitioner
{
    private final Map<String, Integer> sticky = new ConcurrentHashMap<>();

    @Override
    public int partition(final String topic, final byte[] key, final int partitionCount)
    {
        if (key != null)
        {
            return Murmur2.toPositive(Murmur2.hash(key)) % partitionCount;
        }
        final Integer current = sticky.get(topic);
        if (current != null && current < partitionCount)
        {
            return current;
        }
        return sticky.compute(topic, (t, old) -> old != null && old < partitionCount ? old : ThreadLocalRandom.current().nextInt(partitionCount));
    }

    @Override
    public void onBatchComplete(final String topic, final int partition)
    {
        sticky.computeIfPresent(topic, (t, current) -> current == partition ? null : current);
    }
}
