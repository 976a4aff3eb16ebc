package io.tidemark.engine.window;

import io.tidemark.engine.checkpoint.OperatorSnapshot;
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
 * Event-time session windows aggregated incrementally, with the default trigger and any
 * allowed lateness and late-data policy. Gives the same results as the {@link WindowOperator}
 * with {@link EventTimeSessionWindows}, which is the general path (any trigger, process
 * functions), but keeps each session as a few array slots instead of keyed-state entries, a
 * window list and timers:
 *
 * <ul>
 *   <li>a session is an id into a stride of a {@code long[]} (start, end, deadline, the
 *       next session of the same key, the key and the accumulator); a {@link KeyIndex} maps
 *       a key to its first session;
 *   <li>a {@code Long} key and the accumulator of a {@link LongAggregateFunction} (count,
 *       sum) live inline in the stride: then a session is no object at all, and the garbage
 *       collector has nothing to trace however many sessions are open. Other keys and
 *       accumulators are kept in object arrays beside the stride;
 *   <li>a record finds its key's sessions with one lookup, and either grows the session it
 *       touches (two stores and the aggregate's {@code add}), merges the sessions it
 *       bridges, or opens a new one;
 *   <li>deadlines live in a {@link SessionDeadlines} heap of primitives, one entry per
 *       session, re-scheduled lazily when a grown session's old time comes up; a record
 *       never touches the heap unless it opens a session or lands behind the watermark.
 * </ul>
 *
 * Open sessions never overlap or touch each other (they would have merged), so a record's
 * window {@code [t, t + gap)} merges exactly with the sessions it overlaps or touches. An
 * unfired session's deadline is its end - 1, when it fires; a fired one's is the time
 * {@link LateRecords} discards it (its end plus the allowed lateness and any late-update
 * retention), which marks it fired. Until then a record that lands in it makes it fire
 * again at once, marked as an update; a record that extends it or bridges it with another
 * withdraws its result by a retraction ({@link WindowResult#retraction}) and the merged
 * session is a new window (firing at once if its end has passed), as the
 * {@link WindowOperator} does. Whether the merged window still takes a record behind the
 * watermark is worked out before anything changes: a record none takes goes to the side
 * output or is dropped and counted. A record whose session would end after
 * {@link Long#MAX_VALUE} is refused as out of range, exactly as the {@link WindowOperator}
 * describes.
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

    SessionWindowOperator(final long gap, final AggregateFunction<IN, ACC, R> aggregate, final LateRecords late,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        super(aggregate, late, windowFunction);
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
            late.refuseOutOfRange(value, timestamp, output, metrics);
            return;
        }
        final long end = start + gap;
        if (end - 1 > watermark)
        {
            // Whatever the record merges with, the merged session has not fired.
            add(merge(start, end), value);
            return;
        }
        processBehindWatermark(value, timestamp, start, end);
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
            if (isFired(bounds, session))
            {
                // A fired session that no record can reach any more.
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

    /**
     * Takes a record whose own window has ended at the watermark: what it merges with decides
     * whether the session it lands in still takes it, and fires again at once if so.
     */
    private void processBehindWatermark(final IN value, final long timestamp, final long start, final long end) throws Exception
    {
        // The merged window first: a record no session takes must change nothing.
        long mergedEnd = end;
        int inside = NONE;
        for (int session = firstSession(); session != NONE; session = (int)bounds[FIELDS * session + NEXT])
        {
            final int base = FIELDS * session;
            if (bounds[base + START] <= end && bounds[base + END] >= start)
            {
                mergedEnd = Math.max(mergedEnd, bounds[base + END]);
                if (bounds[base + START] <= start && bounds[base + END] >= end)
                {
                    inside = session;
                }
            }
        }
        final LateRecords.Fate fate = late.fate(mergedEnd - 1, watermark);
        if (fate == LateRecords.Fate.MISSED)
        {
            late.settle(value, timestamp, false, false, 0, output, metrics);
            return;
        }
        if (inside != NONE && isFired(bounds, inside))
        {
            // The session stays the window it was: its result is revised.
            add(inside, value);
            fireAgain(inside, true);
        }
        else
        {
            final int target = merge(start, end);
            add(target, value);
            if (fate != LateRecords.Fate.ON_TIME)
            {
                fireAgain(target, false);
            }
        }
        late.settle(value, timestamp, fate != LateRecords.Fate.UPDATES, fate == LateRecords.Fate.UPDATES, 0, output, metrics);
    }

    /**
     * Merges the record's window {@code [start, end)} with the key's sessions it overlaps or
     * touches, withdrawing those that fired (the merged session is a new window), or opens a
     * session for it.
     *
     * @return the session that takes the record, not fired.
     */
    private int merge(final long start, final long end) throws Exception
    {
        final int first = firstSession();
        final long[] b = bounds;
        int target = NONE;
        boolean targetFired = false;
        int previous = NONE;
        int session = first;
        while (session != NONE)
        {
            final int base = FIELDS * session;
            final int following = (int)b[base + NEXT];
            if (b[base + START] <= end && b[base + END] >= start)
            {
                final boolean fired = isFired(b, session);
                if (fired)
                {
                    // A fired session kept for late records: it grows into a new window.
                    retract(session);
                }
                if (target == NONE)
                {
                    target = session;
                    targetFired = fired;
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
            return target;
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
        if (targetFired)
        {
            // Its deadline was its discarding; the new window is due at its end.
            schedule(target, b[base + END] - 1);
        }
        return target;
    }

    private int firstSession()
    {
        return objectKey == null ? firstSessions.get(longKey) : firstSessions.get(objectKey);
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        new Sessions(keySerializer, accumulatorSerializer, watermark, used, bounds, keys, inline != null ? null : accumulators).writeTo(out);
    }

    /**
     * Hands the sessions over copy-on-write: the task thread copies the arrays (and each
     * object accumulator, which the aggregate may mutate in place), the checkpoint writer
     * serializes the copy in the format of {@link #snapshotState} while the task goes on.
     */
    @Override
    public OperatorSnapshot snapshot(final long checkpointId)
    {
        Object[] accumulatorCopies = null;
        if (inline == null)
        {
            accumulatorCopies = new Object[used];
            for (int session = 0; session < used; session++)
            {
                if (isHeld(bounds, session))
                {
                    accumulatorCopies[session] = copyOfAccumulator(accumulators[session]);
                }
            }
        }
        return new Sessions(keySerializer, accumulatorSerializer, watermark, used, Arrays.copyOf(bounds, FIELDS * used), Arrays.copyOf(keys, used),
            accumulatorCopies);
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
            final boolean fired = in.readBoolean();
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
                schedule(session, fired ? late.cleanupTime(end - 1) : end - 1);
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

    /** Fires a session on time, when the watermark reaches its end. */
    private void fire(final int session) throws Exception
    {
        final long discardAt = late.cleanupTime(bounds[FIELDS * session + END] - 1);
        if (watermark >= discardAt)
        {
            emit(session, false);
            unlink(session);
            release(session);
        }
        else
        {
            // Late records and a record at the session's end still reach it: keep it, marked
            // fired by its deadline, until the watermark passes the time it is discarded.
            schedule(session, discardAt);
            emit(session, false);
        }
    }

    /**
     * Fires a session again for a record it took behind the watermark, and keeps it marked
     * fired until it is discarded.
     *
     * @param update whether the session fired before as the same window.
     */
    private void fireAgain(final int session, final boolean update) throws Exception
    {
        if (!isFired(bounds, session))
        {
            schedule(session, late.cleanupTime(bounds[FIELDS * session + END] - 1));
        }
        emit(session, update);
    }

    @SuppressWarnings("unchecked")
    private void emit(final int session, final boolean revision) throws Exception
    {
        final int base = FIELDS * session;
        final TimeWindow window = new TimeWindow(bounds[base + START], bounds[base + END]);
        final R result = inline != null ? inline.resultOf(bounds[base + VALUE]) : aggregate.getResult((ACC)accumulators[session]);
        final K key = (K)keyOf(session);
        metrics.windowFired(revision);
        firing = window;
        update = revision;
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
        update = false;
        windowFunction.retract((K)keyOf(session), window, this, collector.at(window.maxTimestamp()));
    }

    /**
     * @return whether the session has fired: its deadline is then the time it is discarded,
     * at or after its end, while an unfired session is due at its end - 1 or earlier.
     */
    private static boolean isFired(final long[] bounds, final int session)
    {
        final int base = FIELDS * session;
        return bounds[base + SCHEDULED] >= bounds[base + END];
    }

    private static boolean isHeld(final long[] bounds, final int session)
    {
        return bounds[FIELDS * session + SCHEDULED] != FREE;
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
        final int following = (int)bounds[FIELDS * session + NEXT];
        // Most keys have one session: one probe removes it, and the rare key whose first
        // session is another one is put back.
        final int first = key == null ? firstSessions.remove(number) : firstSessions.remove(key);
        final int newFirst = first == session ? following : first;
        if (newFirst != NONE)
        {
            if (key == null)
            {
                firstSessions.put(number, newFirst);
            }
            else
            {
                firstSessions.put(key, newFirst);
            }
        }
        if (first == session)
        {
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

    /**
     * The sessions as they stood at a snapshot: the operator's own arrays when written at
     * once, copies when handed to the checkpoint writer.
     *
     * @param keySerializer         writes the keys.
     * @param accumulatorSerializer writes the object accumulators.
     * @param watermark             the watermark.
     * @param open                  the number of open sessions.
     * @param used                  the session ids in use or free, from 0.
     * @param bounds                the stride of each session id.
     * @param keys                  the keys that are no {@code Long}, by session id.
     * @param accumulators          the object accumulators by session id, or null when they
     *                              are inline.
     */
    private record Sessions(TypeSerializer<Object> keySerializer, TypeSerializer<Object> accumulatorSerializer, long watermark, int used,
                            long[] bounds, Object[] keys, Object[] accumulators) implements OperatorSnapshot
    {
        @Override
        public void writeTo(final DataOutput target) throws IOException
        {
            final ChunkedOutput out = new ChunkedOutput(target);
            out.writeLong(watermark);
            int held = 0;
            for (int session = 0; session < used; session++)
            {
                if (isHeld(bounds, session))
                {
                    held++;
                }
            }
            // Fired sessions kept for late records are written too, marked fired: restored,
            // they take those records and fire again rather than fire on time once more.
            out.writeInt(held);
            for (int session = 0; session < used; session++)
            {
                final int base = FIELDS * session;
                if (isHeld(bounds, session))
                {
                    final Object key = keys[session];
                    keySerializer.serialize(key != null ? key : Long.valueOf(bounds[base + KEY]), out);
                    out.writeLong(bounds[base + START]);
                    out.writeLong(bounds[base + END]);
                    out.writeBoolean(isFired(bounds, session));
                    if (accumulators == null)
                    {
                        out.writeLong(bounds[base + VALUE]);
                    }
                    else
                    {
                        accumulatorSerializer.serialize(accumulators[session], out);
                    }
                }
            }
            out.flush();
        }
    }
}
