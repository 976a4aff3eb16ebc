package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.AbstractOperator;
import io.tidemark.engine.operator.KeyedOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.operator.TimestampedCollector;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.time.Watermark;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;

/**
 * Event-time session windows aggregated incrementally, for the common case: the default
 * trigger, no allowed lateness, no late updates. Gives the same results as the
 * {@link WindowOperator} with {@link EventTimeSessionWindows}, which is the general path
 * (any trigger, lateness, process functions), but keeps each session as a few array slots
 * instead of keyed-state entries, a window list and timers:
 *
 * <ul>
 *   <li>a session is an id into parallel arrays (start, end, accumulator, key, and the
 *       next session of the same key); a hash map from key to the key's first session;
 *   <li>a record finds its key's sessions with one lookup, and either grows the session it
 *       touches (two stores and the aggregate's {@code add}), merges the sessions it
 *       bridges, or opens a new one;
 *   <li>firing times live in a {@link SessionDeadlines} heap of primitives, one entry per
 *       session, re-scheduled lazily when a grown session's old time comes up; a record
 *       never touches the heap unless it opens a session.
 * </ul>
 *
 * Open sessions never overlap or touch each other (they would have merged), so a record's
 * window {@code [t, t + gap)} merges exactly with the open sessions it overlaps or touches.
 * A record is late when it touches no open session and its own window has already ended at
 * the watermark; it then goes to the side output or is dropped and counted.
 *
 * @param <K>   the key type.
 * @param <IN>  the input type.
 * @param <ACC> the accumulator type.
 * @param <R>   the aggregate's result type.
 * @param <OUT> the output type.
 */
public final class SessionWindowOperator<K, IN, ACC, R, OUT> extends AbstractOperator<IN, OUT>
    implements KeyedOperator, ProcessWindowFunction.Context<TimeWindow>
{
    private static final int NONE = -1;
    private static final int INITIAL_CAPACITY = 1024;
    private static final int FIELDS = 4;
    private static final int START = 0;
    private static final int END = 1;
    private static final int SCHEDULED = 2;
    private static final int NEXT = 3;
    // No deadline is Long.MIN_VALUE: it is end - 1 of a session that starts after it.
    private static final long FREE = Long.MIN_VALUE;

    private final long gap;
    private final AggregateFunction<IN, ACC, R> aggregate;
    private final LateDataPolicy latePolicy;
    private final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction;
    private final TypeSerializer<Object> keySerializer = Serializers.any();
    private final TypeSerializer<Object> accumulatorSerializer = Serializers.any();
    // Long keys, the usual case, are looked up without touching the boxed key; other keys
    // by equals. A Long never equals a key of another type, so the two maps never disagree.
    private final Long2LongHashMap firstSessionOfLong = new Long2LongHashMap(INITIAL_CAPACITY, 0.65f, NONE);
    private final Object2IntHashMap<Object> firstSessionOfObject = new Object2IntHashMap<>(INITIAL_CAPACITY, 0.65f, NONE);
    private final SessionDeadlines deadlines = new SessionDeadlines();

    // Session ids index these. What a record and a deadline read shares one cache line:
    // bounds[FIELDS * id + START | END | SCHEDULED | NEXT]. A free id is SCHEDULED = FREE and
    // links the free list through NEXT.
    private long[] bounds = new long[FIELDS * INITIAL_CAPACITY];
    private Object[] accumulators = new Object[INITIAL_CAPACITY];
    private Object[] keys = new Object[INITIAL_CAPACITY];
    private int freeList = NONE;
    private int used;
    private int open;

    private TimestampedCollector<OUT> collector;
    private OperatorMetrics metrics;
    private Object currentKey;
    private long watermark = Watermark.NONE;
    private TimeWindow firing;

    SessionWindowOperator(final long gap, final AggregateFunction<IN, ACC, R> aggregate, final LateDataPolicy latePolicy,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        if (gap <= 0 || latePolicy.kind() == LateDataPolicy.Kind.LATE_UPDATE)
        {
            throw new IllegalArgumentException("sessions need a positive gap and no late updates");
        }
        this.gap = gap;
        this.aggregate = aggregate;
        this.latePolicy = latePolicy;
        this.windowFunction = windowFunction;
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        metrics = context.metrics();
        collector = new TimestampedCollector<>(output);
    }

    @Override
    public void setCurrentKey(final Object key)
    {
        currentKey = key;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement(final IN value, final long timestamp)
    {
        final long start = WindowAssigner.requireTimestamp(timestamp);
        final long end = start + gap;
        if (end <= start)
        {
            throw new IllegalArgumentException("the session of a record at " + timestamp + " ends past the largest timestamp");
        }
        final Object key = currentKey;
        final int first = firstSession(key);
        final long[] b = bounds;
        int target = NONE;
        int previous = NONE;
        int session = first;
        while (session != NONE)
        {
            final int base = FIELDS * session;
            final int following = (int)b[base + NEXT];
            if (b[base + START] <= end && b[base + END] >= start)
            {
                if (target == NONE)
                {
                    target = session;
                    previous = session;
                }
                else
                {
                    // The record bridges two sessions: the later one in the list joins the target.
                    absorb(target, session);
                    b[FIELDS * previous + NEXT] = following;
                    release(session);
                }
            }
            else
            {
                previous = session;
            }
            session = following;
        }
        if (target == NONE)
        {
            if (end - 1 <= watermark)
            {
                latePolicy.handle(value, timestamp, output, metrics);
                return;
            }
            target = allocate(key, start, end, first);
            accumulators[target] = aggregate.add(value, aggregate.createAccumulator());
            setFirstSession(key, target);
            schedule(target, end - 1);
            return;
        }
        final int base = FIELDS * target;
        if (start < b[base + START])
        {
            b[base + START] = start;
        }
        if (end > b[base + END])
        {
            b[base + END] = end;
        }
        accumulators[target] = aggregate.add(value, (ACC)accumulators[target]);
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        this.watermark = watermark;
        while (!deadlines.isEmpty() && deadlines.peekTime() <= watermark)
        {
            final long time = deadlines.peekTime();
            final int session = deadlines.peekSession();
            deadlines.removeFirst();
            final int base = FIELDS * session;
            if (bounds[base + SCHEDULED] != time)
            {
                // A released session, or one re-scheduled since: a stale entry.
                continue;
            }
            final long due = bounds[base + END] - 1;
            if (due > time)
            {
                schedule(session, due);
                continue;
            }
            fire(session);
        }
        output.emitWatermark(watermark);
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        out.writeLong(watermark);
        out.writeInt(open);
        for (int session = 0; session < used; session++)
        {
            if (keys[session] != null)
            {
                keySerializer.serialize(keys[session], out);
                out.writeLong(bounds[FIELDS * session + START]);
                out.writeLong(bounds[FIELDS * session + END]);
                accumulatorSerializer.serialize(accumulators[session], out);
            }
        }
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        watermark = in.readLong();
        final int count = in.readInt();
        final KeyGroupRange owned = context.keyGroupRange();
        for (int i = 0; i < count; i++)
        {
            final Object key = keySerializer.deserialize(in);
            final long start = in.readLong();
            final long end = in.readLong();
            final Object accumulator = accumulatorSerializer.deserialize(in);
            if (owned.contains(KeyGroups.keyGroupFor(key, context.maxParallelism())))
            {
                final int session = allocate(key, start, end, firstSession(key));
                accumulators[session] = accumulator;
                setFirstSession(key, session);
                schedule(session, end - 1);
            }
        }
    }

    @Override
    public TimeWindow window()
    {
        return firing;
    }

    @Override
    public long currentWatermark()
    {
        return watermark;
    }

    @Override
    public long currentProcessingTime()
    {
        return context.clock().millis();
    }

    @Override
    public boolean isUpdate()
    {
        // Without allowed lateness a session fires exactly once.
        return false;
    }

    @Override
    public <X> void output(final OutputTag<X> tag, final X value)
    {
        output.collect(tag, value, firing.maxTimestamp());
    }

    /**
     * @return the number of open sessions; for tests that check that fired sessions leave
     * nothing behind.
     */
    public int openSessions()
    {
        return open;
    }

    @SuppressWarnings("unchecked")
    private void absorb(final int target, final int session)
    {
        final int to = FIELDS * target;
        final int from = FIELDS * session;
        bounds[to + START] = Math.min(bounds[to + START], bounds[from + START]);
        bounds[to + END] = Math.max(bounds[to + END], bounds[from + END]);
        accumulators[target] = aggregate.merge((ACC)accumulators[target], (ACC)accumulators[session]);
    }

    @SuppressWarnings("unchecked")
    private void fire(final int session) throws Exception
    {
        final K key = (K)keys[session];
        final TimeWindow window = new TimeWindow(bounds[FIELDS * session + START], bounds[FIELDS * session + END]);
        final R result = aggregate.getResult((ACC)accumulators[session]);
        unlink(key, session);
        release(session);
        metrics.windowFired(false);
        firing = window;
        windowFunction.process(key, window, result, this, collector.at(window.maxTimestamp()));
    }

    private void unlink(final Object key, final int session)
    {
        final int first = firstSession(key);
        final int following = (int)bounds[FIELDS * session + NEXT];
        if (first == session)
        {
            if (following == NONE)
            {
                removeFirstSession(key);
            }
            else
            {
                setFirstSession(key, following);
            }
            return;
        }
        int previous = first;
        while (bounds[FIELDS * previous + NEXT] != session)
        {
            previous = (int)bounds[FIELDS * previous + NEXT];
        }
        bounds[FIELDS * previous + NEXT] = following;
    }

    private int firstSession(final Object key)
    {
        return key instanceof Long number ? (int)firstSessionOfLong.get(number.longValue()) : firstSessionOfObject.getValue(key);
    }

    private void setFirstSession(final Object key, final int session)
    {
        if (key instanceof Long number)
        {
            firstSessionOfLong.put(number.longValue(), session);
        }
        else
        {
            firstSessionOfObject.put(key, session);
        }
    }

    private void removeFirstSession(final Object key)
    {
        if (key instanceof Long number)
        {
            firstSessionOfLong.remove(number.longValue());
        }
        else
        {
            firstSessionOfObject.removeKey(key);
        }
    }

    private void schedule(final int session, final long time)
    {
        bounds[FIELDS * session + SCHEDULED] = time;
        deadlines.add(time, session);
    }

    private int allocate(final Object key, final long start, final long end, final int following)
    {
        final int session;
        if (freeList != NONE)
        {
            session = freeList;
            freeList = (int)bounds[FIELDS * session + NEXT];
        }
        else
        {
            if (used == keys.length)
            {
                grow();
            }
            session = used++;
        }
        final int base = FIELDS * session;
        bounds[base + START] = start;
        bounds[base + END] = end;
        bounds[base + NEXT] = following;
        keys[session] = key;
        open++;
        return session;
    }

    private void release(final int session)
    {
        keys[session] = null;
        accumulators[session] = null;
        bounds[FIELDS * session + SCHEDULED] = FREE;
        bounds[FIELDS * session + NEXT] = freeList;
        freeList = session;
        open--;
    }

    private void grow()
    {
        final int capacity = keys.length * 2;
        bounds = Arrays.copyOf(bounds, FIELDS * capacity);
        accumulators = Arrays.copyOf(accumulators, capacity);
        keys = Arrays.copyOf(keys, capacity);
    }
}
