package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.LongAggregateFunction;
import io.tidemark.engine.functions.LongKeySelector;
import io.tidemark.engine.operator.AbstractStreamOperator;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.time.Watermark;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The local half of a slicing window aggregation, run before the key exchange in the task of
 * the records' producer: it folds each key's records of each slice into one accumulator (a
 * {@code long} for a {@link LongAggregateFunction}, else the function's own object) and
 * sends that on as one {@link PartialAggregate}, so that the exchange carries
 * one element per key and slice instead of one per record (with 10,000 keys and a minute's
 * slice, a few thousandth of them). The {@link SlicingWindowOperator} behind the exchange
 * merges the partials into its slices; the window results are those of the records.
 *
 * <p>Why the results stay the same: a slice's partials go out before this operator forwards
 * the watermark that reaches the slice's end, so they reach the window operator before its
 * watermark (the least of its inputs') can fire any window of the slice: they are never
 * late, and a window sums the same records either way. A record whose slice the watermark
 * has already reached, a record without a timestamp and one whose windows do not fit in a
 * {@code long} go on at once as a partial of their own, where the record would have gone,
 * and the window operator decides their fate as it would the record's. Once the input has
 * been idle, the window operator's watermark may have moved past this input's while it was
 * left out, so from then on every record goes on alone. A checkpoint barrier, the end of the
 * input and too many keys held ({@link #MAX_HELD}) send everything held (a partial sent
 * early is as much on time as one sent at the watermark), so a checkpoint holds no records of
 * this operator: only its watermark and whether it went idle. After a restore the window
 * operator starts from the watermark it had at the checkpoint, at most that of each of its
 * inputs that was not idle, while the source starts without one; this operator restores its
 * own (the greatest of those it inherits; idle if any was), and takes no watermark of the
 * restarted input until one passes it, so that the records replayed behind it still go on
 * alone, each a late record of its own as it would be without pre-aggregation. A subtask
 * that inherits no snapshot (the job's parallelism grew) cannot know the window's
 * watermark, and sends every record on alone.
 *
 * <p>An object accumulator crosses the exchange as it is: once sent, this operator never
 * touches it again, and the next slice of the key starts from a new one. Such an accumulator
 * may hold on to the records it was given, so with one this operator {@link #retainsInput}.
 *
 * <p>It applies to event-time tumbling and hopping windows with the default trigger, unless
 * late records go to a side output (which needs the records themselves); see
 * {@link WindowOperatorBuilder#canPreAggregate}.
 *
 * @param <IN> the record type.
 */
public final class SlicePreAggregator<IN> extends AbstractStreamOperator<PartialAggregate> implements OneInputOperator<IN, PartialAggregate>
{
    /** The most keys held over all slices before they are sent on early, to bound memory. */
    static final int MAX_HELD = 1 << 16;

    private final long size;
    private final long slide;
    private final KeySelector<IN, ?> keys;
    private final LongKeySelector<IN> longKeys;
    private final AggregateFunction<IN, Object, ?> function;
    /** The function, when its accumulator is a {@code long}; else null. */
    private final LongAggregateFunction<IN, ?> inline;
    private final long zero;
    private final ArrayDeque<Held> spare = new ArrayDeque<>();

    // The slices held, in the order they came; each ends after the watermark.
    private Held[] held = new Held[4];
    private int heldCount;
    private Held last;
    private int heldKeys;
    private long watermark = Watermark.NONE;
    private boolean alone;

    @SuppressWarnings("unchecked")
    SlicePreAggregator(final long size, final long slide, final KeySelector<IN, ?> keys, final AggregateFunction<IN, ?, ?> function)
    {
        this.size = size;
        this.slide = slide;
        this.keys = keys;
        this.longKeys = keys instanceof LongKeySelector<?> byValue ? (LongKeySelector<IN>)byValue : null;
        this.function = (AggregateFunction<IN, Object, ?>)function;
        this.inline = function instanceof LongAggregateFunction<?, ?> longFunction ? (LongAggregateFunction<IN, ?>)longFunction : null;
        this.zero = inline != null ? inline.zero() : 0;
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        if (!alone)
        {
            final Held slice = last;
            if (slice != null && timestamp >= slice.start && timestamp <= slice.start + (slide - 1) && timestamp != Watermark.NONE)
            {
                add(slice, value);
                return;
            }
            if (timestamp != Watermark.NONE)
            {
                final long position = Math.floorMod(timestamp, slide);
                final long start = timestamp - position;
                if (TimeWindow.fits(timestamp, position, size - slide, size) && start + (slide - 1) > watermark)
                {
                    add(held(start), value);
                    return;
                }
            }
        }
        final Object key = longKeys != null ? null : keys.getKey(value);
        final long longKey = longKeys != null ? longKeys.getLongKey(value) : 0;
        output.collect(inline != null ? new PartialAggregate(key, longKey, inline.addLong(value, zero), null)
            : new PartialAggregate(key, longKey, 0, function.add(value, function.createAccumulator())), timestamp);
    }

    /** A {@code long} accumulator lets go of each record; an object one may keep it. */
    @Override
    public boolean retainsInput()
    {
        return inline == null;
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        int kept = 0;
        for (int i = 0; i < heldCount; i++)
        {
            final Held slice = held[i];
            if (slice.start + (slide - 1) <= watermark)
            {
                send(slice);
            }
            else
            {
                held[kept++] = slice;
            }
        }
        Arrays.fill(held, kept, heldCount, null);
        heldCount = kept;
        this.watermark = watermark;
        output.emitWatermark(watermark);
    }

    /** Restored as the greatest inherited: a record behind it goes on alone, however far behind it the restarted input starts. */
    @Override
    public long currentWatermark()
    {
        return watermark;
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        out.writeLong(watermark);
        out.writeBoolean(alone);
    }

    /**
     * A greater watermark sends more records on alone, never fewer: always safe, so the
     * greatest inherited wins. A snapshot of an earlier version, which held nothing, leaves
     * the watermark unknown: every record then goes on alone.
     */
    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        try
        {
            final long restored = in.readLong();
            final boolean idle = in.readBoolean();
            watermark = Math.max(watermark, restored);
            alone |= idle;
        }
        catch (final EOFException empty)
        {
            alone = true;
        }
    }

    @Override
    public void restoredWithoutSnapshot()
    {
        alone = true;
    }

    @Override
    public void processIdle(final boolean idle)
    {
        if (idle)
        {
            sendAll();
            alone = true;
        }
        output.emitIdle(idle);
    }

    @Override
    public void prepareSnapshotPreBarrier(final long checkpointId)
    {
        sendAll();
    }

    @Override
    public void endInput()
    {
        sendAll();
    }

    private void sendAll()
    {
        for (int i = 0; i < heldCount; i++)
        {
            send(held[i]);
        }
        Arrays.fill(held, 0, heldCount, null);
        heldCount = 0;
    }

    private void send(final Held slice)
    {
        final long[] values = slice.values;
        final Object[] accumulators = slice.accumulators;
        for (int i = 0; i < slice.count; i++)
        {
            output.collect(new PartialAggregate(slice.objectKeys[i], slice.longKeys[i], values == null ? 0 : values[i], accumulators == null ? null : accumulators[i]),
                slice.start);
        }
        heldKeys -= slice.count;
        slice.clear();
        spare.push(slice);
        if (last == slice)
        {
            last = null;
        }
    }

    /**
     * @return the slice held from {@code start}, held from now on if it was not: a few at a
     * time (those the watermark's bound spans), so found by a linear search.
     */
    private Held held(final long start)
    {
        for (int i = 0; i < heldCount; i++)
        {
            if (held[i].start == start)
            {
                last = held[i];
                return last;
            }
        }
        final Held slice = spare.isEmpty() ? new Held(inline != null) : spare.pop();
        slice.start = start;
        if (heldCount == held.length)
        {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        held[heldCount++] = slice;
        last = slice;
        return slice;
    }

    /** Folds a record into its key's accumulator in a slice held. */
    private void add(final Held slice, final IN value) throws Exception
    {
        final int keysBefore = slice.count;
        final int slot = longKeys != null ? slice.slotOf(longKeys.getLongKey(value), zero) : slice.slotOf(keys.getKey(value), zero);
        final boolean newKey = slice.count > keysBefore;
        if (inline != null)
        {
            slice.values[slot] = inline.addLong(value, slice.values[slot]);
        }
        else
        {
            slice.accumulators[slot] = function.add(value, newKey ? function.createAccumulator() : slice.accumulators[slot]);
        }
        if (newKey && ++heldKeys >= MAX_HELD)
        {
            sendAll();
        }
    }

    /** One slice's keys and accumulators ({@code long} or object, as the function's are), in the order the keys came. */
    private static final class Held
    {
        private static final int INITIAL_KEYS = 1024;

        long start;
        final KeyIndex index = new KeyIndex();
        Object[] objectKeys = new Object[INITIAL_KEYS];
        long[] longKeys = new long[INITIAL_KEYS];
        /** The accumulators of a function of {@code long} ones; else null. */
        long[] values;
        /** The accumulators of any other function; else null. */
        Object[] accumulators;
        int count;

        /**
         * @param inline whether the function's accumulators are {@code long}s: a slice holds
         *               one kind only, so only its array is allocated.
         */
        Held(final boolean inline)
        {
            values = inline ? new long[INITIAL_KEYS] : null;
            accumulators = inline ? null : new Object[INITIAL_KEYS];
        }

        /**
         * @return the slot of a {@code Long} key, a new one holding {@code zero} if the key is new.
         */
        int slotOf(final long key, final long zero)
        {
            final int found = index.get(key);
            if (found != KeyIndex.NONE)
            {
                return found;
            }
            final int slot = newSlot(null, key, zero);
            index.put(key, slot);
            return slot;
        }

        /**
         * @return the slot of any other key, a new one holding {@code zero} if the key is new.
         */
        int slotOf(final Object key, final long zero)
        {
            final int found = index.get(key);
            if (found != KeyIndex.NONE)
            {
                return found;
            }
            final int slot = newSlot(key, 0, zero);
            index.put(key, slot);
            return slot;
        }

        private int newSlot(final Object key, final long longKey, final long zero)
        {
            if (count == objectKeys.length)
            {
                objectKeys = Arrays.copyOf(objectKeys, count * 2);
                longKeys = Arrays.copyOf(longKeys, count * 2);
                if (values != null)
                {
                    values = Arrays.copyOf(values, count * 2);
                }
                else
                {
                    accumulators = Arrays.copyOf(accumulators, count * 2);
                }
            }
            objectKeys[count] = key;
            longKeys[count] = longKey;
            if (values != null)
            {
                values[count] = zero;
            }
            return count++;
        }

        void clear()
        {
            index.clear();
            Arrays.fill(objectKeys, 0, count, null);
            if (accumulators != null)
            {
                Arrays.fill(accumulators, 0, count, null);
            }
            count = 0;
        }
    }
}
