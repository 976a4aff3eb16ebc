package io.tidemark.log.producer;

import java.util.HashSet;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our partitioner against kafka-clients' own: a key goes where Kafka would put it. */
class DefaultPartitionerProperties
{
    @Property(tries = 2000)
    void murmur2MatchesKafka(@ForAll @Size(max = 200) final byte[] key)
    {
        assertEquals(Utils.murmur2(key), Murmur2.hash(key));
        assertEquals(Utils.toPositive(Murmur2.hash(key)), Murmur2.toPositive(Murmur2.hash(key)));
    }

    @Property(tries = 2000)
    void keyedRecordsGoWhereKafkaPutsThem(@ForAll @Size(max = 64) final byte[] key, @ForAll @IntRange(min = 1, max = 10_000) final int partitions)
    {
        assertEquals(BuiltInPartitioner.partitionForKey(key, partitions), new DefaultPartitioner().partition("t", key, partitions));
    }

    @Property(tries = 200)
    void recordsWithoutKeyStickUntilTheBatchCompletes(@ForAll @IntRange(min = 2, max = 50) final int partitions)
    {
        final DefaultPartitioner partitioner = new DefaultPartitioner();
        final int first = partitioner.partition("t", null, partitions);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(first, partitioner.partition("t", null, partitions));
        }
        final Set<Integer> seen = new HashSet<>();
        for (int batch = 0; batch < 200; batch++)
        {
            final int p = partitioner.partition("t", null, partitions);
            assertTrue(p >= 0 && p < partitions);
            seen.add(p);
            partitioner.onBatchComplete("t", p);
        }
        assertTrue(seen.size() > 1, "moves on after a batch completes");
    }
}
