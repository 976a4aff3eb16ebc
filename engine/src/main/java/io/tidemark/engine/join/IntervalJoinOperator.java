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
import io.tidemark.engine.state.MapState;
import io.tidemark.engine.state.MapStateDescriptor;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.window.LateDataPolicy;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * <p>A record is matched by looking up each timestamp of its interval in the other side's
 * buffer when the interval is narrow, else by walking that buffer.
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
    /**
     * Intervals narrower than this many milliseconds are matched by looking up each of their
     * timestamps in the other side's buffer; wider ones by walking the buffer. A watermark that
     * lags (a periodic one) leaves many timestamps buffered per key, and a walk then costs far
     * more than a few lookups.
     */
    private static final long PROBE_WIDTH = 64;

    private final long lower;
    private final long upper;
    private final boolean narrow;
    private final LateDataPolicy leftLate;
    private final LateDataPolicy rightLate;
    private final ProcessJoinFunction<IN1, IN2, OUT> function;
    private final MapStateDescriptor<Long, List<IN1>> leftDescriptor = new MapStateDescriptor<>("interval-join-left", Serializers.LONG, Serializers.listOf(Serializers.any()));
    private final MapStateDescriptor<Long, List<IN2>> rightDescriptor = new MapStateDescriptor<>("interval-join-right", Serializers.LONG, Serializers.listOf(Serializers.any()));
    private KeyedStateBackend backend;
    private TimerService<Bucket> timers;
    private MapState<Long, List<IN1>> leftBuffer;
    private MapState<Long, List<IN2>> rightBuffer;
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
        // Bounds far apart make upper - lower wrap negative: such an interval is wide.
        final long width = upper - lower;
        this.narrow = width >= 0 && width < PROBE_WIDTH;
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
        if (narrow)
        {
            // Counted by offset: a loop on time <= to would wrap when to is the end of time.
            final long span = to - from;
            for (long offset = 0; offset <= span; offset++)
            {
                final long time = from + offset;
                final List<IN2> rights = rightBuffer.get(time);
                if (rights != null)
                {
                    rightTimestamp = time;
                    emitWithRights(value, rights);
                }
            }
        }
        else
        {
            for (final Map.Entry<Long, List<IN2>> bucket : rightBuffer.entries())
            {
                final long bucketTime = bucket.getKey();
                if (bucketTime >= from && bucketTime <= to)
                {
                    rightTimestamp = bucketTime;
                    emitWithRights(value, bucket.getValue());
                }
            }
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
        final long from = saturatingAdd(timestamp, negate(upper));
        final long to = saturatingAdd(timestamp, negate(lower));
        if (narrow)
        {
            final long span = to - from;
            for (long offset = 0; offset <= span; offset++)
            {
                final long time = from + offset;
                final List<IN1> lefts = leftBuffer.get(time);
                if (lefts != null)
                {
                    leftTimestamp = time;
                    emitWithLefts(lefts, value);
                }
            }
        }
        else
        {
            for (final Map.Entry<Long, List<IN1>> bucket : leftBuffer.entries())
            {
                final long bucketTime = bucket.getKey();
                if (bucketTime >= from && bucketTime <= to)
                {
                    leftTimestamp = bucketTime;
                    emitWithLefts(bucket.getValue(), value);
                }
            }
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

    private boolean isLate(final long timestamp)
    {
        return timestamp <= timers.currentWatermark();
    }

    private void emitWithRights(final IN1 left, final List<IN2> rights) throws Exception
    {
        for (int i = 0; i < rights.size(); i++)
        {
            function.processElement(left, rights.get(i), this, collector.at(getTimestamp()));
        }
    }

    private void emitWithLefts(final List<IN1> lefts, final IN2 right) throws Exception
    {
        for (int i = 0; i < lefts.size(); i++)
        {
            function.processElement(lefts.get(i), right, this, collector.at(getTimestamp()));
        }
    }

    /** @return whether the timestamp's bucket is new, and so needs its cleanup timer. */
    private static <T> boolean buffer(final MapState<Long, List<T>> buffer, final T value, final long timestamp)
    {
        final List<T> bucket = buffer.get(timestamp);
        if (bucket == null)
        {
            final List<T> created = new ArrayList<>(2);
            created.add(value);
            buffer.put(timestamp, created);
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
        if (namespace.left())
        {
            leftBuffer.remove(namespace.time());
        }
        else
        {
            rightBuffer.remove(namespace.time());
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
     * @return how many (key, timestamp) buckets both sides hold, and the cleanup timers
     * pending: all 0 once the watermark has passed every record.
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

    private static long negate(final long bound)
    {
        return bound == Long.MIN_VALUE ? Long.MAX_VALUE : -bound;
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
