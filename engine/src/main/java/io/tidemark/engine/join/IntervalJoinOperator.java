package io.tidemark.engine.join;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.ProcessJoinFunction;
import io.tidemark.engine.operator.AbstractStreamOperator;
import io.tidemark.engine.operator.KeyedOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.operator.TimerService;
import io.tidemark.engine.operator.TimestampedCollector;
import io.tidemark.engine.operator.TwoInputOperator;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.window.LateDataPolicy;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Joins two keyed streams in event time by an interval: a left record {@code a} and a right
 * record {@code b} of the same key pair when {@code a.ts + lower <= b.ts <= a.ts + upper}
 * (bounds inclusive), as Flink's interval join does. Each record is matched, on arrival,
 * against what the other side buffered, then buffered itself in keyed state (per key and
 * timestamp) until the watermark passes the last time a record of the other side could
 * still match it: a left record at {@code t} until {@code t + upper}, a right one until
 * {@code t - lower}; an event-time timer per key, side and buffered timestamp removes it
 * then, so the state of a finished stream goes back to nothing. The timer's time gives the
 * timestamp back ({@code time - upper}, {@code time + lower}), except a cleanup time held at
 * an end of time, which removes every bucket of the side held there.
 *
 * <p>A record without a timestamp ({@link Long#MIN_VALUE}) fails the job, as in Flink: the
 * pipeline lacks a timestamp assigner, and such records would all be late.
 *
 * <p>Each side keeps, per key, one primitive map from timestamp to that timestamp's records
 * (read once per record, timestamps never boxed): the record itself while it is the only
 * one, a list from the second on. A record is matched by looking up each
 * timestamp of its interval in the other side's map when the interval holds fewer timestamps
 * than the map, else by walking the map: whichever is fewer steps.
 *
 * <p>A record at or behind the watermark is late: the records of the other side it would
 * have met may be gone already. It is not joined; its side's {@link LateDataPolicy} drops it
 * or sends it to a side output, and counts it. Each pair is emitted with the larger of the
 * two timestamps.
 *
 * @param <K>   the key type, the same for both sides.
 * @param <IN1> the left input's type.
 * @param <IN2> the right input's type.
 * @param <OUT> the output type.
 */
public final class IntervalJoinOperator<K, IN1, IN2, OUT> extends AbstractStreamOperator<OUT>
    implements TwoInputOperator<IN1, IN2, OUT>, KeyedOperator, TimerService.Target<IntervalJoinOperator.Side>, ProcessJoinFunction.Context
{
    /** At most this many emptied buffers are kept for reuse, each of at most {@link #SPARE_CAPACITY} slots. */
    private static final int MAX_SPARES = 4_096;
    private static final int SPARE_CAPACITY = 32;

    private final long lower;
    private final long upper;
    private final LateDataPolicy leftLate;
    private final LateDataPolicy rightLate;
    private final ProcessJoinFunction<IN1, IN2, OUT> function;
    private final ValueStateDescriptor<Long2ObjectHashMap<Object>> leftDescriptor = new ValueStateDescriptor<>("interval-join-left", BUCKETS);
    private final ValueStateDescriptor<Long2ObjectHashMap<Object>> rightDescriptor = new ValueStateDescriptor<>("interval-join-right", BUCKETS);
    private KeyedStateBackend backend;
    private TimerService<Side> timers;
    private ValueState<Long2ObjectHashMap<Object>> leftBuffer;
    private ValueState<Long2ObjectHashMap<Object>> rightBuffer;
    private TimestampedCollector<OUT> collector;
    // A key's buffer empties whenever the watermark passes all it holds, and refills with
    // the key's next record: emptied maps wait here for the next key, not for the collector.
    private final ArrayDeque<Long2ObjectHashMap<Object>> spares = new ArrayDeque<>();
    private long leftTimestamp;
    private long rightTimestamp;

    /**
     * @param lower     the lower bound of {@code b.ts - a.ts}, inclusive.
     * @param upper     the upper bound of {@code b.ts - a.ts}, inclusive, not below {@code lower}.
     * @param leftLate  what happens to late left records: drop or side output.
     * @param rightLate what happens to late right records: drop or side output.
     * @param function  receives each pair.
     * @throws IllegalArgumentException if the bounds are crossed or a policy is a late update,
     *                                  which a join has no result to update for.
     */
    public IntervalJoinOperator(final long lower, final long upper, final LateDataPolicy leftLate, final LateDataPolicy rightLate,
        final ProcessJoinFunction<IN1, IN2, OUT> function)
    {
        if (lower > upper)
        {
            throw new IllegalArgumentException("an interval join's lower bound " + lower + " is above its upper bound " + upper);
        }
        if (leftLate.kind() == LateDataPolicy.Kind.LATE_UPDATE || rightLate.kind() == LateDataPolicy.Kind.LATE_UPDATE)
        {
            throw new IllegalArgumentException("an interval join drops late records or sends them to a side output; a late update has no window to update");
        }
        this.lower = lower;
        this.upper = upper;
        this.leftLate = leftLate;
        this.rightLate = rightLate;
        this.function = function;
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        backend = context.createKeyedStateBackend();
        timers = new TimerService<>(backend, this, Side.SERIALIZER);
        leftBuffer = backend.getState(leftDescriptor);
        rightBuffer = backend.getState(rightDescriptor);
        collector = new TimestampedCollector<>(output);
    }

    @Override
    public void setCurrentKey(final Object key)
    {
        backend.setCurrentKey(key);
    }

    @Override
    public void setCurrentLongKey(final long key)
    {
        backend.setCurrentLongKey(key);
    }

    @Override
    public void processElement1(final IN1 value, final long timestamp) throws Exception
    {
        requireTimestamp(timestamp);
        if (isLate(timestamp))
        {
            leftLate.handle(value, timestamp, output, context.metrics());
            return;
        }
        leftTimestamp = timestamp;
        final long from = saturatingAdd(timestamp, lower);
        final long to = saturatingAdd(timestamp, upper);
        final Long2ObjectHashMap<Object> rights = rightBuffer.value();
        if (rights != null)
        {
            match(value, rights, true, from, to);
        }
        if (buffer(leftBuffer, value, timestamp))
        {
            timers.registerEventTimeTimer(Side.LEFT, to);
        }
    }

    @Override
    public void processElement2(final IN2 value, final long timestamp) throws Exception
    {
        requireTimestamp(timestamp);
        if (isLate(timestamp))
        {
            rightLate.handle(value, timestamp, output, context.metrics());
            return;
        }
        rightTimestamp = timestamp;
        final long from = saturatingSubtract(timestamp, upper);
        final long to = saturatingSubtract(timestamp, lower);
        final Long2ObjectHashMap<Object> lefts = leftBuffer.value();
        if (lefts != null)
        {
            match(value, lefts, false, from, to);
        }
        if (buffer(rightBuffer, value, timestamp))
        {
            timers.registerEventTimeTimer(Side.RIGHT, to);
        }
    }

    private static void requireTimestamp(final long timestamp)
    {
        if (timestamp == Long.MIN_VALUE)
        {
            throw new IllegalStateException("a record has no event timestamp, and an interval join needs records with timestamps:"
                + " assign them with a WatermarkStrategy (assignTimestampsAndWatermarks(...) or a timestamp assigner on the source)");
        }
    }

    /**
     * Whether looking up each timestamp of {@code from .. to} takes fewer steps than walking
     * the map. {@code to - from} read unsigned is the span even where it wraps as a signed
     * long (bounds at both ends of time), so such an interval is walked.
     */
    private static boolean probes(final long from, final long to, final Long2ObjectHashMap<?> buckets)
    {
        return Long.compareUnsigned(to - from, buckets.size()) < 0;
    }

    private boolean isLate(final long timestamp)
    {
        return timestamp <= timers.currentWatermark();
    }

    /**
     * Pairs a record with the other side's buckets in {@code from .. to}, by whichever takes
     * fewer steps: looking up each timestamp, or walking the buckets.
     */
    private void match(final Object value, final Long2ObjectHashMap<Object> others, final boolean othersAreRight, final long from, final long to)
        throws Exception
    {
        if (probes(from, to, others))
        {
            final long span = to - from;
            for (long offset = 0; offset <= span; offset++)
            {
                final long time = from + offset;
                final Object bucket = others.get(time);
                if (bucket != null)
                {
                    emit(value, bucket, othersAreRight, time);
                }
            }
        }
        else
        {
            final Long2ObjectHashMap<Object>.EntryIterator buckets = others.entrySet().iterator();
            while (buckets.hasNext())
            {
                buckets.next();
                final long time = buckets.getLongKey();
                if (time >= from && time <= to)
                {
                    emit(value, buckets.getValue(), othersAreRight, time);
                }
            }
        }
    }

    /** Pairs a record with each record of a bucket of the other side. */
    private void emit(final Object value, final Object bucket, final boolean othersAreRight, final long othersTime) throws Exception
    {
        if (othersAreRight)
        {
            rightTimestamp = othersTime;
        }
        else
        {
            leftTimestamp = othersTime;
        }
        if (bucket instanceof Records records)
        {
            for (int i = 0; i < records.size(); i++)
            {
                pair(value, records.get(i), othersAreRight);
            }
        }
        else
        {
            pair(value, bucket, othersAreRight);
        }
    }

    @SuppressWarnings("unchecked")
    private void pair(final Object value, final Object other, final boolean otherIsRight) throws Exception
    {
        if (otherIsRight)
        {
            function.processElement((IN1)value, (IN2)other, this, collector.at(getTimestamp()));
        }
        else
        {
            function.processElement((IN1)other, (IN2)value, this, collector.at(getTimestamp()));
        }
    }

    /** @return whether the timestamp's bucket is new, and so needs its cleanup timer. */
    private boolean buffer(final ValueState<Long2ObjectHashMap<Object>> buffer, final Object value, final long timestamp)
    {
        Long2ObjectHashMap<Object> buckets = buffer.value();
        if (buckets == null)
        {
            buckets = spares.isEmpty() ? new Long2ObjectHashMap<>() : spares.pop();
            buffer.update(buckets);
        }
        final Object bucket = buckets.get(timestamp);
        if (bucket == null)
        {
            buckets.put(timestamp, value);
            return true;
        }
        if (bucket instanceof Records records)
        {
            records.add(value);
        }
        else
        {
            buckets.put(timestamp, new Records(bucket, value));
        }
        return false;
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        timers.advanceWatermark(watermark);
        output.emitWatermark(watermark);
    }

    /** The timers' watermark: restored with them, so it may be ahead of the input's after a restore. */
    @Override
    public long currentWatermark()
    {
        return timers.currentWatermark();
    }

    /**
     * The watermark passed what the other side can still match: the bucket goes. Its
     * timestamp follows from the cleanup time, unless that was held at an end of time, where
     * several timestamps meet: then every bucket of the side held there goes.
     */
    @Override
    public void onEventTime(final long timestamp, final Side side)
    {
        final ValueState<Long2ObjectHashMap<Object>> buffer = side == Side.LEFT ? leftBuffer : rightBuffer;
        final Long2ObjectHashMap<Object> buckets = buffer.value();
        if (buckets == null)
        {
            return;
        }
        if (timestamp == Long.MAX_VALUE || timestamp == Long.MIN_VALUE)
        {
            removeHeldAt(buckets, side, timestamp);
        }
        else
        {
            buckets.remove(side == Side.LEFT ? timestamp - upper : timestamp + lower);
        }
        if (buckets.isEmpty())
        {
            buffer.clear();
            if (spares.size() < MAX_SPARES && buckets.capacity() <= SPARE_CAPACITY)
            {
                spares.push(buckets);
            }
        }
    }

    private void removeHeldAt(final Long2ObjectHashMap<Object> buckets, final Side side, final long cleanupTime)
    {
        final Long2ObjectHashMap<Object>.KeyIterator times = buckets.keySet().iterator();
        while (times.hasNext())
        {
            final long time = times.nextLong();
            if (cleanupTime(side, time) == cleanupTime)
            {
                times.remove();
            }
        }
    }

    private long cleanupTime(final Side side, final long time)
    {
        return side == Side.LEFT ? saturatingAdd(time, upper) : saturatingSubtract(time, lower);
    }

    @Override
    public void onProcessingTime(final long timestamp, final Side side)
    {
    }

    @Override
    public long getLeftTimestamp()
    {
        return leftTimestamp;
    }

    @Override
    public long getRightTimestamp()
    {
        return rightTimestamp;
    }

    @Override
    public long getTimestamp()
    {
        return Math.max(leftTimestamp, rightTimestamp);
    }

    @Override
    public <X> void output(final OutputTag<X> tag, final X value)
    {
        output.collect(tag, value, getTimestamp());
    }

    /**
     * @return how many keys each side buffers records of, plus the cleanup timers pending (one
     * per buffered (key, side, timestamp), one for all those held at an end of time): all 0
     * once the watermark has passed every record.
     */
    public int bufferedEntries()
    {
        return backend.entryCount(leftDescriptor.name()) + backend.entryCount(rightDescriptor.name()) + timers.eventTimeTimerCount();
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        backend.snapshot(out);
        timers.snapshot(out);
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        backend.restore(in);
        timers.restore(in);
    }

    /**
     * A side's buffer of one key: timestamp, then that timestamp's records in arrival order,
     * as a list (count, records), one record or several.
     */
    private static final TypeSerializer<Long2ObjectHashMap<Object>> BUCKETS = new TypeSerializer<>()
    {
        private final TypeSerializer<Object> records = Serializers.any();

        @Override
        public void serialize(final Long2ObjectHashMap<Object> buckets, final DataOutput out) throws IOException
        {
            out.writeInt(buckets.size());
            final Long2ObjectHashMap<Object>.EntryIterator entries = buckets.entrySet().iterator();
            while (entries.hasNext())
            {
                entries.next();
                out.writeLong(entries.getLongKey());
                if (entries.getValue() instanceof Records list)
                {
                    out.writeInt(list.size());
                    for (final Object record : list)
                    {
                        records.serialize(record, out);
                    }
                }
                else
                {
                    out.writeInt(1);
                    records.serialize(entries.getValue(), out);
                }
            }
        }

        @Override
        public Long2ObjectHashMap<Object> deserialize(final DataInput in) throws IOException
        {
            final int size = in.readInt();
            final Long2ObjectHashMap<Object> buckets = new Long2ObjectHashMap<>();
            for (int i = 0; i < size; i++)
            {
                final long time = in.readLong();
                final int count = in.readInt();
                Object bucket = records.deserialize(in);
                for (int r = 1; r < count; r++)
                {
                    final Object record = records.deserialize(in);
                    if (bucket instanceof Records list)
                    {
                        list.add(record);
                    }
                    else
                    {
                        bucket = new Records(bucket, record);
                    }
                }
                buckets.put(time, bucket);
            }
            return buckets;
        }
    };

    /** {@code a + b}, held at the ends of time instead of wrapping around. */
    private static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0)
        {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** {@code a - b}, held at the ends of time instead of wrapping around. */
    private static long saturatingSubtract(final long a, final long b)
    {
        final long difference = a - b;
        if (((a ^ b) & (a ^ difference)) < 0)
        {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return difference;
    }

    /**
     * The side a cleanup timer removes a bucket of; its time tells which bucket.
     */
    enum Side
    {
        LEFT, RIGHT;

        static final TypeSerializer<Side> SERIALIZER = new TypeSerializer<>()
        {
            @Override
            public void serialize(final Side value, final DataOutput out) throws IOException
            {
                out.writeBoolean(value == LEFT);
            }

            @Override
            public Side deserialize(final DataInput in) throws IOException
            {
                return in.readBoolean() ? LEFT : RIGHT;
            }
        };
    }

    /**
     * The records of a timestamp once there are two or more; a private type, so that a
     * bucket of one record that is itself a list is never taken for one of several.
     */
    private static final class Records extends ArrayList<Object>
    {
        private static final long serialVersionUID = 1L;

        Records(final Object first, final Object second)
        {
            super(4);
            add(first);
            add(second);
        }
    }
}
