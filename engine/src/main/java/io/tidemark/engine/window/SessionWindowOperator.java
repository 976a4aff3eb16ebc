package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.LongAggregateFunction;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Event-time session windows aggregated incrementally, for the common case: the default
 * trigger, no allowed lateness, no late updates. Gives the same results as the
 * {@link WindowOperator} with {@link EventTimeSessionWindows}, which is the general path
 * (any trigger, lateness, process functions), but keeps each session as a few array slots
 * instead of keyed-state entries, a window list and timers:
 *
 * <ul>
 *   <li>a session is an id into a stride of a {@code long[]} (start, end, firing time, the
 *       next session of the same key, the key and the accumulator); a {@link KeyIndex} maps
 *       a key to its first session;
 *   <li>a {@code Long} key and the accumulator of a {@link LongAggregateFunction} (count,
 *       sum) live inline in the stride: then a session is no object at all, and the garbage
 *       collector has nothing to trace however many sessions are open. Other keys and
 *       accumulators are kept in object arrays beside the stride;
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
 * the watermark; it then goes to the side output or is dropped and counted. A fired session
 * is kept until the watermark passes its end (its deadline is then its end, which marks it
 * fired): a record at its end is on time and merges with it, and the session's result is
 * withdrawn by a retraction ({@link WindowResult#retraction}) before the merged session
 * fires as a new window, as the {@link WindowOperator} does. A record whose
 * session would end after {@link Long#MAX_VALUE} is refused as out of range, exactly as the
 * {@link WindowOperator} describes.
 *
 * @param <K>   the key type.
 * @param <IN>  the input type.
 * @param <ACC> the accumulator type.
 * @param <R>   the aggregate's result type.
 * @param <OUT> the output type.
 */
public final class SessionWindowOperator<K, IN, ACC, R, OUT> extends ArrayWindowOperator<K, IN, ACC, R, OUT>
{
    private static final int NONE = KeyIndex.NONE;
    private static final int INITIAL_CAPACITY = 1024;
    private static final int FIELDS = 6;
    private static final int START = 0;
    private static final int END = 1;
    private static final int SCHEDULED = 2;
    private static final int NEXT = 3;
    private static final int KEY = 4;
    private static final int VALUE = 5;
    // No deadline is Long.MIN_VALUE: it is end - 1 of a session that starts after it.
    private static final long FREE = Long.MIN_VALUE;

    private final long gap;
    private final TypeSerializer<Object> keySerializer = Serializers.any();
    private final TypeSerializer<Object> accumulatorSerializer = Serializers.any();
    private final KeyIndex firstSessions = new KeyIndex();
    private final SessionDeadlines deadlines = new SessionDeadlines();

    // Session ids index these. What a record and a deadline read shares one or two cache
    // lines: bounds[FIELDS * id + START | END | SCHEDULED | NEXT | KEY | VALUE]. A free id is
    // SCHEDULED = FREE and links the free list through NEXT. keys[id] is null when the key is
    // a Long, held in KEY; accumulators[id] is unused when the accumulator is inline in VALUE.
    private long[] bounds = new long[FIELDS * INITIAL_CAPACITY];
    private Object[] accumulators = new Object[INITIAL_CAPACITY];
    private Object[] keys = new Object[INITIAL_CAPACITY];
    private int freeList = NONE;
    private int used;
    private int open;

    SessionWindowOperator(final long gap, final AggregateFunction<IN, ACC, R> aggregate, final LateDataPolicy latePolicy,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        super(aggregate, latePolicy, windowFunction);
        if (gap <= 0)
        {
            throw new IllegalArgumentException("sessions need a positive gap, not " + gap);
        }
        this.gap = gap;
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        final long start = WindowAssigner.requireTimestamp(timestamp);
        if (!TimeWindow.fits(start, 0, 0, gap))
        {
            latePolicy.refuseOutOfRange(value, timestamp, output, metrics);
            return;
        }
        final long end = start + gap;
        final int first = objectKey == null ? firstSessions.get(longKey) : firstSessions.get(objectKey);
        final long[] b = bounds;
        int target = NONE;
        int previous = NONE;
        int session = first;
        while (session != NONE)
        {
            final int base = FIELDS * session;
            final int following = (int)b[base + NEXT];
            if (b[base + START] <= end && b[base + END] >= start && (b[base + SCHEDULED] != b[base + END] || end - 1 > watermark))
            {
                if (b[base + SCHEDULED] == b[base + END])
                {
                    // A fired session kept for a record at its end: it grows into a new window.
                    retract(session);
                }
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
            target = allocate(objectKey, longKey, start, end, first);
            if (objectKey == null)
            {
                firstSessions.put(longKey, target);
            }
            else
            {
                firstSessions.put(objectKey, target);
            }
            schedule(target, end - 1);
        }
        else
        {
            final int base = FIELDS * target;
            if (start < b[base + START])
            {
                b[base + START] = start;
            }
            if (end > b[base + END])
            {
                b[base + END] = end;
            }
        }
        add(target, value);
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
            if (time == bounds[base + END])
            {
                // A fired session that no record can touch any more.
                unlink(session);
                release(session);
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
        int unfired = 0;
        for (int session = 0; session < used; session++)
        {
            if (isUnfired(session))
            {
                unfired++;
            }
        }
        // Fired sessions kept for a record at their end are left out: restored, they would fire again.
        out.writeInt(unfired);
        for (int session = 0; session < used; session++)
        {
            final int base = FIELDS * session;
            if (isUnfired(session))
            {
                keySerializer.serialize(keyOf(session), out);
                out.writeLong(bounds[base + START]);
                out.writeLong(bounds[base + END]);
                if (inline != null)
                {
                    out.writeLong(bounds[base + VALUE]);
                }
                else
                {
                    accumulatorSerializer.serialize(accumulators[session], out);
                }
            }
        }
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        restoreWatermark(in.readLong());
        final int count = in.readInt();
        final KeyGroupRange owned = context.keyGroupRange();
        for (int i = 0; i < count; i++)
        {
            final Object key = keySerializer.deserialize(in);
            final long start = in.readLong();
            final long end = in.readLong();
            final long inlineValue = inline != null ? in.readLong() : 0;
            final Object accumulator = inline != null ? null : accumulatorSerializer.deserialize(in);
            if (owned.contains(KeyGroups.keyGroupFor(key, context.maxParallelism())))
            {
                setCurrentKey(key);
                final int first = objectKey == null ? firstSessions.get(longKey) : firstSessions.get(objectKey);
                final int session = allocate(objectKey, longKey, start, end, first);
                bounds[FIELDS * session + VALUE] = inlineValue;
                accumulators[session] = accumulator;
                if (objectKey == null)
                {
                    firstSessions.put(longKey, session);
                }
                else
                {
                    firstSessions.put(objectKey, session);
                }
                schedule(session, end - 1);
            }
        }
    }

    /**
     * @return the number of sessions held: open ones, and fired ones kept until the watermark
     * passes their end; for tests that check that fired sessions leave nothing behind.
     */
    public int openSessions()
    {
        return open;
    }

    /**
     * @return whether the accumulators live inline in the session arrays, which they do for
     * a {@link LongAggregateFunction}; for tests.
     */
    public boolean accumulatesInline()
    {
        return inline != null;
    }

    @SuppressWarnings("unchecked")
    private void add(final int session, final IN value)
    {
        if (inline != null)
        {
            final int slot = FIELDS * session + VALUE;
            bounds[slot] = inline.addLong(value, bounds[slot]);
        }
        else
        {
            final ACC accumulator = (ACC)accumulators[session];
            accumulators[session] = aggregate.add(value, accumulator == null ? aggregate.createAccumulator() : accumulator);
        }
    }

    @SuppressWarnings("unchecked")
    private void absorb(final int target, final int session)
    {
        final int to = FIELDS * target;
        final int from = FIELDS * session;
        bounds[to + START] = Math.min(bounds[to + START], bounds[from + START]);
        bounds[to + END] = Math.max(bounds[to + END], bounds[from + END]);
        if (inline != null)
        {
            bounds[to + VALUE] = inline.mergeLong(bounds[to + VALUE], bounds[from + VALUE]);
        }
        else
        {
            accumulators[target] = aggregate.merge((ACC)accumulators[target], (ACC)accumulators[session]);
        }
    }

    @SuppressWarnings("unchecked")
    private void fire(final int session) throws Exception
    {
        final int base = FIELDS * session;
        final K key = (K)keyOf(session);
        final TimeWindow window = new TimeWindow(bounds[base + START], bounds[base + END]);
        final R result = inline != null ? inline.resultOf(bounds[base + VALUE]) : aggregate.getResult((ACC)accumulators[session]);
        if (watermark >= bounds[base + END])
        {
            unlink(session);
            release(session);
        }
        else
        {
            // A record at the session's end is still on time and would merge with it: keep
            // it, marked fired by a deadline at its end, until the watermark passes that.
            schedule(session, bounds[base + END]);
        }
        metrics.windowFired(false);
        firing = window;
        windowFunction.process(key, window, result, this, collector.at(window.maxTimestamp()));
    }

    /**
     * Withdraws the result of a fired session that a record merges into a new window.
     */
    @SuppressWarnings("unchecked")
    private void retract(final int session) throws Exception
    {
        final int base = FIELDS * session;
        final TimeWindow window = new TimeWindow(bounds[base + START], bounds[base + END]);
        firing = window;
        windowFunction.retract((K)keyOf(session), window, this, collector.at(window.maxTimestamp()));
    }

    /** @return whether the session is held and has not fired. */
    private boolean isUnfired(final int session)
    {
        final int base = FIELDS * session;
        return bounds[base + SCHEDULED] != FREE && bounds[base + SCHEDULED] != bounds[base + END];
    }

    private Object keyOf(final int session)
    {
        final Object key = keys[session];
        return key != null ? key : Long.valueOf(bounds[FIELDS * session + KEY]);
    }

    private void unlink(final int session)
    {
        final Object key = keys[session];
        final long number = bounds[FIELDS * session + KEY];
        final int first = key == null ? firstSessions.get(number) : firstSessions.get(key);
        final int following = (int)bounds[FIELDS * session + NEXT];
        if (first == session)
        {
            if (following != NONE)
            {
                if (key == null)
                {
                    firstSessions.put(number, following);
                }
                else
                {
                    firstSessions.put(key, following);
                }
            }
            else if (key == null)
            {
                firstSessions.remove(number);
            }
            else
            {
                firstSessions.remove(key);
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

    private void schedule(final int session, final long time)
    {
        bounds[FIELDS * session + SCHEDULED] = time;
        deadlines.add(time, session);
    }

    private int allocate(final Object key, final long number, final long start, final long end, final int following)
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
        bounds[base + KEY] = number;
        if (inline != null)
        {
            bounds[base + VALUE] = inline.zero();
        }
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
