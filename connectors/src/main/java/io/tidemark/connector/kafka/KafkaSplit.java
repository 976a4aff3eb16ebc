package io.tidemark.connector.kafka;

import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One partition of a Kafka topic as a {@link KafkaSource} reads it: from {@code nextOffset}
 * on, up to (not including) {@code stoppingOffset}. Both are concrete offsets: what a
 * checkpoint stores is where to read on, whatever start position the job was built with.
 *
 * @param topic          the topic.
 * @param partition      the partition.
 * @param nextOffset     the offset of the next record to read.
 * @param stoppingOffset where a bounded read ends; {@link #UNBOUNDED} to follow the partition.
 */
public record KafkaSplit(String topic, int partition, long nextOffset, long stoppingOffset) implements SourceSplit
{
    /** The stopping offset of a partition read until the job is cancelled. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /** Stores a split as its topic (UTF-8), partition and two offsets. */
    static final TypeSerializer<KafkaSplit> SERIALIZER = new TypeSerializer<>()
    {
        @Override
        public void serialize(final KafkaSplit split, final DataOutput out) throws IOException
        {
            Serializers.STRING.serialize(split.topic(), out);
            out.writeInt(split.partition());
            out.writeLong(split.nextOffset());
            out.writeLong(split.stoppingOffset());
        }

        @Override
        public KafkaSplit deserialize(final DataInput in) throws IOException
        {
            return new KafkaSplit(Serializers.STRING.deserialize(in), in.readInt(), in.readLong(), in.readLong());
        }
    };

    /**
     * @param nextOffset the offset to read on from.
     * @return this split, read on from there.
     */
    KafkaSplit resumedAt(final long nextOffset)
    {
        return new KafkaSplit(topic, partition, nextOffset, stoppingOffset);
    }

    /**
     * @return {@code topic-partition}, Kafka's way of naming a partition.
     */
    @Override
    public String splitId()
    {
        return id(topic, partition);
    }

    /** The split id of a partition, which a split of it has. */
    static String id(final String topic, final int partition)
    {
        return topic + "-" + partition;
    }
}
