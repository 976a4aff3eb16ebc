package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.LongKeySelector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.operator.OperatorException;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.state.KeyGroups;

/**
 * One producer subtask's end of an edge between tasks: picks the channel for each record
 * (forward, round robin, by key group, or every channel for a broadcast) and sends watermarks, idleness, checkpoint barriers
 * and end of input to every channel of the edge, since every consumer needs the producer's
 * progress. A {@code long} key goes into the channel by value ({@link LongKeySelector}).
 *
 * @param <T> the record type.
 */
final class ChannelOutput<T> implements Output<T>
{
    private final String edgeName;
    private final ChannelWriter[] writers;
    private final Partitioning.Kind kind;
    private final KeySelector<T, ?> keySelector;
    /** The key selector when the key is a primitive {@code long}, else null. */
    private final LongKeySelector<T> longKeySelector;
    private final int maxParallelism;
    /** On a keyed edge, the writer of each key group's consumer; else null. */
    private final ChannelWriter[] byKeyGroup;
    private int nextChannel;

    @SuppressWarnings("unchecked")
    ChannelOutput(final String edgeName, final ChannelWriter[] writers, final Partitioning partitioning, final int maxParallelism, final int producerSubtask)
    {
        this.edgeName = edgeName;
        this.writers = writers;
        this.kind = partitioning.kind();
        this.keySelector = (KeySelector<T, ?>)partitioning.keySelector();
        this.longKeySelector = partitioning.hasLongKeys() ? (LongKeySelector<T>)keySelector : null;
        this.maxParallelism = maxParallelism;
        this.byKeyGroup = kind == Partitioning.Kind.HASH ? byKeyGroup(writers, maxParallelism) : null;
        // Producers start their round robin at different consumers so they do not all
        // hit consumer 0 first.
        this.nextChannel = producerSubtask % writers.length;
    }

    /** Looked up per record instead of dividing: which consumer owns each key group. */
    private static ChannelWriter[] byKeyGroup(final ChannelWriter[] writers, final int maxParallelism)
    {
        final ChannelWriter[] table = new ChannelWriter[maxParallelism];
        for (int keyGroup = 0; keyGroup < maxParallelism; keyGroup++)
        {
            table[keyGroup] = writers[KeyGroups.subtaskFor(keyGroup, maxParallelism, writers.length)];
        }
        return table;
    }

    @Override
    public void collect(final T value, final long timestamp)
    {
        // Keyed by a long, the hot case, is tested first and once: the key stays a long from
        // the selector to the channel.
        if (longKeySelector != null)
        {
            final long key = longKeyOf(value);
            byKeyGroup[KeyGroups.keyGroupForLong(key, maxParallelism)].writeLongKeyedRecord(key, value, timestamp);
        }
        else if (kind == Partitioning.Kind.HASH)
        {
            final Object key = keyOf(value);
            byKeyGroup[KeyGroups.keyGroupFor(key, maxParallelism)].writeRecord(key, value, timestamp);
        }
        else if (kind == Partitioning.Kind.REBALANCE)
        {
            writers[nextChannel].writeRecord(null, value, timestamp);
            if (++nextChannel == writers.length)
            {
                nextChannel = 0;
            }
        }
        else if (kind == Partitioning.Kind.BROADCAST)
        {
            for (final ChannelWriter writer : writers)
            {
                writer.writeRecord(null, value, timestamp);
            }
        }
        else
        {
            writers[0].writeRecord(null, value, timestamp);
        }
    }

    private long longKeyOf(final T value)
    {
        try
        {
            return longKeySelector.getLongKey(value);
        }
        catch (final Exception e)
        {
            throw new OperatorException("key selector of " + edgeName, e);
        }
    }

    private Object keyOf(final T value)
    {
        try
        {
            return keySelector.getKey(value);
        }
        catch (final Exception e)
        {
            throw new OperatorException("key selector of " + edgeName, e);
        }
    }

    @Override
    public <X> void collect(final OutputTag<X> tag, final X value, final long timestamp)
    {
        throw new UnsupportedOperationException("side outputs are routed before they reach " + edgeName);
    }

    @Override
    public void emitWatermark(final long watermark)
    {
        for (final ChannelWriter writer : writers)
        {
            writer.writeWatermark(watermark);
        }
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        for (final ChannelWriter writer : writers)
        {
            writer.writeIdle(idle);
        }
    }

    /**
     * Publishes the barrier on every channel of the edge without ringing their consumers:
     * {@link #ringConsumers} does, once every edge of the task has it.
     */
    void barrier(final CheckpointBarrier barrier)
    {
        for (final ChannelWriter writer : writers)
        {
            writer.writeBarrier(barrier);
        }
    }

    void ringConsumers()
    {
        for (final ChannelWriter writer : writers)
        {
            writer.ringConsumer();
        }
    }

    void endOfInput()
    {
        for (final ChannelWriter writer : writers)
        {
            writer.writeEndOfInput();
        }
    }

    /**
     * @return nanoseconds this subtask's writers of the edge waited for room.
     */
    long backpressureNanos()
    {
        long sum = 0;
        for (final ChannelWriter writer : writers)
        {
            sum += writer.backpressureNanos();
        }
        return sum;
    }

    void flush()
    {
        for (final ChannelWriter writer : writers)
        {
            writer.flush();
        }
    }

    void flushIfDue(final long nowNanos)
    {
        for (final ChannelWriter writer : writers)
        {
            writer.flushIfDue(nowNanos);
        }
    }
}
