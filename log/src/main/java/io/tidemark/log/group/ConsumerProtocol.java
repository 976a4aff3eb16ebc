package io.tidemark.log.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.InconsistentGroupProtocolException;

/**
 * The bytes of the "consumer" protocol type: the subscription a member sends in JoinGroup and
 * the assignment the leader sends back through SyncGroup. The coordinator treats both as
 * opaque; only consumers read them. The layout is Kafka's ConsumerProtocolSubscription (v3)
 * and ConsumerProtocolAssignment (v3), so Tidemark's consumers and Kafka's Java client can be
 * members of one group and read each other's assignments.
 *
 * <pre>
 * Subscription: version int16, topics [string], userData nullable bytes,
 *               (v1+) ownedPartitions [topic string, partitions [int32]],
 *               (v2+) generationId int32, (v3+) rackId nullable string
 * Assignment:   version int16, partitions [topic string, partitions [int32]], userData nullable bytes
 * </pre>
 * Arrays are an int32 count then the elements, strings an int16 length then UTF-8, bytes an
 * int32 length (-1 for null). A newer version is read as the newest known one: later fields
 * are appended, never changed.
 */
public final class ConsumerProtocol
{
    /** The protocol type consumers join with. */
    public static final String PROTOCOL_TYPE = "consumer";

    private static final short VERSION = 3;

    private ConsumerProtocol()
    {
    }

    /**
     * @param subscription the subscription.
     * @return its bytes.
     */
    public static byte[] encodeSubscription(final Subscription subscription)
    {
        final Writer out = new Writer();
        out.int16(VERSION);
        out.int32(subscription.topics().size());
        subscription.topics().forEach(out::string);
        out.bytes(subscription.userData());
        out.partitions(subscription.ownedPartitions());
        out.int32(subscription.generationId());
        out.int16((short)-1); // no rack
        return out.toByteArray();
    }

    /**
     * @param bytes a member's subscription.
     * @return the subscription.
     * @throws InconsistentGroupProtocolException if the bytes are not a subscription.
     */
    public static Subscription decodeSubscription(final byte[] bytes)
    {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        try
        {
            final short version = version(in);
            final int count = count(in);
            final List<String> topics = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                topics.add(string(in));
            }
            final byte[] userData = nullableBytes(in);
            final List<TopicPartition> owned = version >= 1 ? partitions(in) : List.of();
            final int generation = version >= 2 ? in.getInt() : -1;
            return new Subscription(List.copyOf(topics), userData, owned, generation);
        }
        catch (final BufferUnderflowException | IllegalArgumentException e)
        {
            throw new InconsistentGroupProtocolException("a malformed consumer subscription of " + bytes.length + " bytes");
        }
    }

    /**
     * @param assignment the assignment.
     * @return its bytes.
     */
    public static byte[] encodeAssignment(final Assignment assignment)
    {
        final Writer out = new Writer();
        out.int16(VERSION);
        out.partitions(assignment.partitions());
        out.bytes(assignment.userData());
        return out.toByteArray();
    }

    /**
     * @param bytes the leader's assignment for one member; empty bytes mean nothing assigned.
     * @return the assignment.
     * @throws InconsistentGroupProtocolException if the bytes are not an assignment.
     */
    public static Assignment decodeAssignment(final byte[] bytes)
    {
        if (bytes.length == 0)
        {
            return new Assignment(List.of(), null);
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        try
        {
            version(in);
            final List<TopicPartition> partitions = partitions(in);
            return new Assignment(partitions, nullableBytes(in));
        }
        catch (final BufferUnderflowException | IllegalArgumentException e)
        {
            throw new InconsistentGroupProtocolException("a malformed consumer assignment of " + bytes.length + " bytes");
        }
    }

    private static short version(final ByteBuffer in)
    {
        final short version = in.getShort();
        if (version < 0)
        {
            throw new IllegalArgumentException("negative version " + version);
        }
        return version;
    }

    private static int count(final ByteBuffer in)
    {
        final int count = in.getInt();
        if (count < 0 || count > in.remaining())
        {
            throw new IllegalArgumentException("bad array length " + count);
        }
        return count;
    }

    private static String string(final ByteBuffer in)
    {
        final short length = in.getShort();
        if (length < 0 || length > in.remaining())
        {
            throw new IllegalArgumentException("bad string length " + length);
        }
        final String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static byte[] nullableBytes(final ByteBuffer in)
    {
        final int length = in.getInt();
        if (length < 0)
        {
            return null;
        }
        if (length > in.remaining())
        {
            throw new IllegalArgumentException("bad bytes length " + length);
        }
        final byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static List<TopicPartition> partitions(final ByteBuffer in)
    {
        final List<TopicPartition> partitions = new ArrayList<>();
        final int topics = count(in);
        for (int t = 0; t < topics; t++)
        {
            final String topic = string(in);
            final int count = count(in);
            for (int i = 0; i < count; i++)
            {
                partitions.add(new TopicPartition(topic, in.getInt()));
            }
        }
        return List.copyOf(partitions);
    }

    /** A growing big-endian buffer. */
    private static final class Writer
    {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        void int16(final short value)
        {
            ensure(2).putShort(value);
        }

        void int32(final int value)
        {
            ensure(4).putInt(value);
        }

        void string(final String value)
        {
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            int16((short)bytes.length);
            ensure(bytes.length).put(bytes);
        }

        void bytes(final byte[] value)
        {
            if (value == null)
            {
                int32(-1);
                return;
            }
            int32(value.length);
            ensure(value.length).put(value);
        }

        void partitions(final List<TopicPartition> partitions)
        {
            final Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition()));
            int32(byTopic.size());
            byTopic.forEach((topic, numbers) ->
            {
                string(topic);
                int32(numbers.size());
                numbers.forEach(this::int32);
            });
        }

        private ByteBuffer ensure(final int bytes)
        {
            if (buffer.remaining() < bytes)
            {
                final ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return buffer;
        }

        byte[] toByteArray()
        {
            final byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }
}
