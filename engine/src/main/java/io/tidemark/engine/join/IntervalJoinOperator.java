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
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Joins two keyed streams in event time by an interval: a left record {@code a} and a right
 * record {@code b} of the same key pair when {@code a.ts + lower <= b.ts <= a.ts + upper}
 * (bounds inclusive), as Flink's interval join does. Each record is matched, on arrival,
 * against what the other side buffered, then buffered itself in keyed state (per key and
 * timestamp, a list) until the watermark passes the last time a record of the other side
 * could still match it: a left record at {@code t} until {@code t + upper}, a right one until
 * {@code t - lower} (held at the end of time); an event-time timer per key and buffered
 * timestamp, which names the timestamp, removes it then, so the state of a finished stream
 * goes back to nothing.
 *
 * <p>A record without a timestamp ({@link Long#MIN_VALUE}) fails the job, as in Flink: the
 * pipeline lacks a timestamp assigner, and such records would all be late.
 *
 * <p>Each side keeps, per key, one primitive map from timestamp to that timestamp's records
 * (read once per record, timestamps never boxed). A record is matched by looking up each
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
    implements TwoInputOperator<IN1, IN2, OUT>, KeyedOperator, TimerService.Target<IntervalJoinOperator.Bucket>, ProcessJoinFunction.Context
{
    private final long lower;
    private final long upper;
    private final LateDataPolicy leftLate;
    private final LateDataPolicy rightLate;
    private final ProcessJoinFunction<IN1, IN2, OUT> function;
    private final ValueStateDescriptor<Long2ObjectHashMap<List<IN1>>> leftDescriptor = new ValueStateDescriptor<>("interval-join-left", bucketsSerializer());
    private final ValueStateDescriptor<Long2ObjectHashMap<List<IN2>>> rightDescriptor = new ValueStateDescriptor<>("interval-join-right", bucketsSerializer());
    private KeyedStateBackend backend;
    private TimerService<Bucket> timers;
    private ValueState<Long2ObjectHashMap<List<IN1>>> leftBuffer;
    private ValueState<Long2ObjectHashMap<List<IN2>>> rightBuffer;
    private TimestampedCollector<OUT> collector;
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
        timers = new TimerService<>(backend, this, Bucket.SERIALIZER);
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
        final Long2ObjectHashMap<List<IN2>> rights = rightBuffer.value();
        if (rights != null)
        {
            match(value, rights, true, from, to);
        }
        if (buffer(leftBuffer, value, timestamp))
        {
            timers.registerEventTimeTimer(new Bucket(true, timestamp), to);
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
        final Long2ObjectHashMap<List<IN1>> lefts = leftBuffer.value();
        if (lefts != null)
        {
            match(value, lefts, false, from, to);
        }
        if (buffer(rightBuffer, value, timestamp))
        {
            timers.registerEventTimeTimer(new Bucket(false, timestamp), to);
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
    private <T> void match(final Object value, final Long2ObjectHashMap<List<T>> others, final boolean othersAreRight, final long from, final long to)
        throws Exception
    {
        if (probes(from, to, others))
        {
            final long span = to - from;
            for (long offset = 0; offset <= span; offset++)
            {
                final long time = from + offset;
                final List<T> bucket = others.get(time);
                if (bucket != null)
                {
                    emit(value, bucket, othersAreRight, time);
                }
            }
        }
        else
        {
            final Long2ObjectHashMap<List<T>>.EntryIterator buckets = others.entrySet().iterator();
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

    @SuppressWarnings("unchecked")
    private void emit(final Object value, final List<?> others, final boolean othersAreRight, final long othersTime) throws Exception
    {
        if (othersAreRight)
        {
            rightTimestamp = othersTime;
            for (int i = 0; i < others.size(); i++)
            {
                function.processElement((IN1)value, (IN2)others.get(i), this, collector.at(getTimestamp()));
            }
        }
        else
        {
            leftTimestamp = othersTime;
            for (int i = 0; i < others.size(); i++)
            {
                function.processElement((IN1)others.get(i), (IN2)value, this, collector.at(getTimestamp()));
            }
        }
    }

    /** @return whether the timestamp's bucket is new, and so needs its cleanup timer. */
    private static <T> boolean buffer(final ValueState<Long2ObjectHashMap<List<T>>> buffer, final T value, final long timestamp)
    {
        Long2ObjectHashMap<List<T>> buckets = buffer.value();
        if (buckets == null)
        {
            buckets = new Long2ObjectHashMap<>();
            buffer.update(buckets);
        }
        final List<T> bucket = buckets.get(timestamp);
        if (bucket == null)
        {
            final List<T> created = new ArrayList<>(2);
            created.add(value);
            buckets.put(timestamp, created);
            return true;
        }
        bucket.add(value);
        return false;
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        timers.advanceWatermark(watermark);
        output.emitWatermark(watermark);
    }

    /**
     * The watermark passed what the other side can still match: the bucket goes. The timer
     * names it, since a cleanup time held at the end of time no longer tells which it was.
     */
    @Override
    public void onEventTime(final long timestamp, final Bucket namespace)
    {
        removeBucket(namespace.left() ? leftBuffer : rightBuffer, namespace.time());
    }

    private static void removeBucket(final ValueState<? extends Long2ObjectHashMap<?>> buffer, final long time)
    {
        final Long2ObjectHashMap<?> buckets = buffer.value();
        if (buckets != null)
        {
            buckets.remove(time);
            if (buckets.isEmpty())
            {
                buffer.clear();
            }
        }
    }

    @Override
    public void onProcessingTime(final long timestamp, final Bucket namespace)
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
     * per buffered (key, timestamp)): all 0 once the watermark has passed every record.
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

    /** A side's buffer of one key: timestamp, then that timestamp's records in arrival order. */
    private static <T> TypeSerializer<Long2ObjectHashMap<List<T>>> bucketsSerializer()
    {
        final TypeSerializer<List<T>> records = Serializers.listOf(Serializers.any());
        return new TypeSerializer<>()
        {
            @Override
            public void serialize(final Long2ObjectHashMap<List<T>> buckets, final DataOutput out) throws IOException
            {
                out.writeInt(buckets.size());
                final Long2ObjectHashMap<List<T>>.EntryIterator entries = buckets.entrySet().iterator();
                while (entries.hasNext())
                {
                    entries.next();
                    out.writeLong(entries.getLongKey());
                    records.serialize(entries.getValue(), out);
                }
            }

            @Override
            public Long2ObjectHashMap<List<T>> deserialize(final DataInput in) throws IOException
            {
                final int size = in.readInt();
                final Long2ObjectHashMap<List<T>> buckets = new Long2ObjectHashMap<>();
                for (int i = 0; i < size; i++)
                {
                    final long time = in.readLong();
                    buckets.put(time, records.deserialize(in));
                }
                return buckets;
            }
        };
    }

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
     * What a cleanup timer removes: a side's bucket of one timestamp.
     *
     * @param left whether it is the left side's.
     * @param time the bucket's timestamp.
     */
    record Bucket(boolean left, long time)
    {
        static final TypeSerializer<Bucket> SERIALIZER = new TypeSerializer<>()
        {
            @Override
            public void serialize(final Bucket value, final DataOutput out) throws IOException
            {
                out.writeBoolean(value.left());
                out.writeLong(value.time());
            }

            @Override
            public Bucket deserialize(final DataInput in) throws IOException
            {
                return new Bucket(in.readBoolean(), in.readLong());
            }
        };
    }
}
