package io.tidemark.engine.window;

import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.LongAggregateFunction;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.time.Watermark;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Tumbling and hopping windows aggregated per slice: the time line is cut into
 * slices of length {@code slide}, each record updates the one accumulator of its key in its
 * slice, and when the watermark passes a window's end the window's {@code size / slide}
 * slices are merged into its result, for every key at once. A hopping window of 300 s
 * sliding by 30 s thus costs one accumulator update per record instead of ten. Tumbling
 * windows are the case {@code slide == size}: one slice per window.
 *
 * <p>Event time or processing time is a parameter. On event time the watermark fires the
 * windows. On processing time (tumbling windows, {@link TumblingProcessingTimeWindows}) the
 * time the task reads from its clock between batches of records does, passed in by
 * {@link #advanceProcessingTime}: a record joins the slice of the processing time last read
 * (no clock read per record), and a window fires once that time reaches its end, so no record
 * ever comes after its window fired and none is late. Watermarks pass through. Against the
 * {@link WindowOperator} with the processing-time trigger, which reads the clock per record
 * and fires a window at its end - 1, a record may thus fall in the window of the batch's
 * start, and a window fires a millisecond later, with every record it took at once.
 *
 * <p>Gives the same results as the {@link WindowOperator} with the default event-time
 * trigger, which is when the window operator builder chooses it, with any allowed lateness
 * and late-data policy: {@link LateRecords} decides for both. A record behind the watermark
 * joins its slice if any of its windows still takes it, and each of those windows that has
 * fired fires again at once for the record's key (marked as an update if the key was in it
 * before). A record no window takes goes to the side output or is dropped and counted, as
 * the {@link LateDataPolicy} says; a record taken by only its later windows counts the
 * earlier ones in {@link io.tidemark.engine.operator.OperatorMetrics#lateWindowsMissed()}.
 * Slices are kept until the last window that needs them is discarded. A record with a
 * window that does not fit in a {@code long} is refused as out of range, exactly as the
 * {@link WindowOperator} describes.
 *
 * <p>Layout: every key has a slot (a {@link KeyIndex} finds it; a {@code Long} key is kept by
 * value), and each live {@link Slice} holds its keys' accumulators in arrays indexed by slot;
 * the accumulator of a {@link LongAggregateFunction} is a plain {@code long} there. All keys
 * share the slices' ends in event time, so there are no timers per key: the operator keeps
 * its live slices sorted by start, and when the watermark passes a window end it merges the
 * slices of that window key by key and emits every key the window holds. A slice is
 * discarded, and its arrays reused, once the last window that needs it is past its cleanup
 * time; a key's slot is freed when no live slice holds it.
 *
 * @param <K>   the key type.
 * @param <IN>  the input type.
 * @param <ACC> the accumulator type.
 * @param <R>   the aggregate's result type.
 * @param <OUT> the output type.
 */
public final class SlicingWindowOperator<K, IN, ACC, R, OUT> extends ArrayWindowOperator<K, IN, ACC, R, OUT>
{
    private static final int INITIAL_SLOTS = 1024;

    private final long size;
    private final long slide;
    private final int slicesPerWindow;
    private final TypeSerializer<Object> serializer = Serializers.any();
    private final KeyIndex slots = new KeyIndex();
    private final ArrayDeque<Slice> spareSlices = new ArrayDeque<>();
    // The merge of one window's slices, key by key, while it fires.
    private final Slice window = new Slice();

    // Per key slot: the key (null for a Long key, held in longKeys) and the number of live
    // slices holding it. Free slots are stacked in freeSlots.
    private Object[] keys = new Object[INITIAL_SLOTS];
    private long[] longKeys = new long[INITIAL_SLOTS];
    private int[] sliceCounts = new int[INITIAL_SLOTS];
    private int[] freeSlots = new int[INITIAL_SLOTS];
    private int freeSlotCount;
    private int usedSlots;

    // Live slices, sorted by start.
    private Slice[] slices = new Slice[16];
    private int sliceCount;
    private Slice lastSlice;

    // Every window ending at or before this has been emitted (or had nothing to emit).
    private long emittedUpTo = Watermark.NONE;

    // On processing time: the watermark (passed through; the operator's own time, in
    // watermark, is the processing time last read - 1) and that processing time, or
    // Long.MIN_VALUE before the first read.
    private final boolean processingTime;
    private long inputWatermark = Watermark.NONE;
    private long now = Long.MIN_VALUE;

    SlicingWindowOperator(final long size, final long slide, final boolean processingTime, final AggregateFunction<IN, ACC, R> aggregate,
        final LateRecords late, final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        super(aggregate, late, windowFunction);
        this.processingTime = processingTime;
        if (slide <= 0 || size % slide != 0)
        {
            throw new IllegalArgumentException("slicing needs a positive slide that divides the size: size " + size + ", slide " + slide);
        }
        this.size = size;
        this.slide = slide;
        this.slicesPerWindow = Math.toIntExact(size / slide);
    }

    @Override
    public void processElement(final IN value, final long eventTime) throws Exception
    {
        final long timestamp = processingTime ? processingTimeOfRecord() : eventTime;
        // Most records fall in the slice of the record before: then the slice is known without
        // a division, and its windows fit in a long, as they did for the record that made it.
        final Slice last = lastSlice;
        if (last != null && timestamp >= last.start && timestamp <= last.start + (slide - 1) && last.start + (slide - 1) > watermark
            && timestamp != Watermark.NONE)
        {
            add(value, currentSlot(), last);
            return;
        }
        final long position = Math.floorMod(WindowAssigner.requireTimestamp(timestamp), slide);
        // The record's windows start from size - slide before its slice to size after it.
        if (!TimeWindow.fits(timestamp, position, size - slide, size))
        {
            late.refuseOutOfRange(value, timestamp, output, metrics);
            return;
        }
        final long sliceStart = timestamp - position;
        if (sliceStart + slide - 1 > watermark)
        {
            // None of the record's windows has fired.
            add(value, currentSlot(), slice(sliceStart));
            return;
        }
        processBehindWatermark(value, timestamp, sliceStart);
    }

    /**
     * Takes a record at least one of whose windows has fired: the windows that still take it
     * fire again for its key, the others miss it.
     */
    private void processBehindWatermark(final IN value, final long timestamp, final long sliceStart) throws Exception
    {
        // The record's windows end at sliceStart + k * slide, k from 1 to slicesPerWindow; the
        // earliest are the latest, so the fates run MISSED, UPDATES, FIRES_LATE, ON_TIME.
        boolean accepted = false;
        boolean updated = false;
        int missed = 0;
        int firesNow = 0;
        for (int k = 1; k <= slicesPerWindow; k++)
        {
            switch (late.fate(sliceStart + k * slide - 1, watermark))
            {
                case MISSED -> missed++;
                case UPDATES ->
                {
                    updated = true;
                    firesNow++;
                }
                case FIRES_LATE ->
                {
                    accepted = true;
                    firesNow++;
                }
                case ON_TIME -> accepted = true;
            }
        }
        if (accepted || updated)
        {
            final int slot = currentSlot();
            final boolean joined = add(value, slot, slice(sliceStart));
            for (int k = missed + 1; k <= missed + firesNow; k++)
            {
                fireKey(slot, sliceStart + k * slide, joined);
            }
        }
        late.settle(value, timestamp, accepted, updated, missed, output, metrics);
    }

    /**
     * @return whether the key joined the slice with this record.
     */
    @SuppressWarnings("unchecked")
    private boolean add(final IN value, final int slot, final Slice slice)
    {
        final boolean joined = slice.join(slot);
        if (joined)
        {
            sliceCounts[slot]++;
        }
        if (inline != null)
        {
            slice.values[slot] = inline.addLong(value, joined ? inline.zero() : slice.values[slot]);
        }
        else
        {
            slice.accumulators[slot] = aggregate.add(value, joined ? aggregate.createAccumulator() : (ACC)slice.accumulators[slot]);
        }
        return joined;
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        if (processingTime)
        {
            inputWatermark = watermark;
        }
        else
        {
            advanceTo(watermark);
        }
        output.emitWatermark(watermark);
    }

    @Override
    public void advanceProcessingTime(final long time) throws Exception
    {
        if (processingTime && time > now)
        {
            now = time;
            advanceTo(Math.max(watermark, time - 1));
        }
    }

    @Override
    public long currentWatermark()
    {
        return processingTime ? inputWatermark : watermark;
    }

    /**
     * @return the processing time a record is counted at: the time last read, never at or
     * behind the operator's time (a restored one may be ahead of this clock).
     */
    private long processingTimeOfRecord()
    {
        if (now == Long.MIN_VALUE)
        {
            now = context.clock().millis();
        }
        return watermark == Watermark.NONE ? now : Math.max(now, watermark + 1);
    }

    /** Fires the windows that end at or before {@code time} + 1 and discards the slices no window needs. */
    private void advanceTo(final long time) throws Exception
    {
        this.watermark = time;
        int unemitted = 0;
        while (true)
        {
            // Slices kept for late records only (all their windows emitted) are passed over.
            while (unemitted < sliceCount && slices[unemitted].start + size <= emittedUpTo)
            {
                unemitted++;
            }
            if (unemitted == sliceCount)
            {
                break;
            }
            // The next window end after those emitted that holds the oldest slice not yet emitted.
            final long oldestEnd = slices[unemitted].start + slide;
            final long end = emittedUpTo == Watermark.NONE ? oldestEnd : Math.max(oldestEnd, emittedUpTo + slide);
            if (end - 1 > watermark)
            {
                break;
            }
            fire(end);
            emittedUpTo = end;
        }
        emittedUpTo = Math.max(emittedUpTo, lastEndAtOrBefore(time));
        discardSlicesCleanedUpBy(time);
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        captured(false).writeTo(out);
    }

    /**
     * Hands the slices over copy-on-write: the task thread copies the arrays (and each object
     * accumulator, which the aggregate may mutate in place), the checkpoint writer serializes
     * the copy in the format of {@link #snapshotState} while the task goes on.
     */
    @Override
    public OperatorSnapshot snapshot(final long checkpointId)
    {
        return captured(true);
    }

    /**
     * Restores a snapshot in the format of {@link #snapshotState}; a snapshot of another format
     * (such as one of a window that another operator ran when it was taken, as a tumbling
     * co-group's general window operator did before co-groups ran on slices) fails with an
     * {@code IOException} that says so, never restores what its bytes happen to parse into.
     */
    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        try
        {
            restoreSlices(in);
        }
        catch (final IOException | RuntimeException e)
        {
            // The parse failure alone (a serializer tag, a cast) would not say what went wrong.
            throw new IOException("the slicing window operator cannot read this snapshot: its state is not in the format this version of the"
                + " operator writes (taken when another operator ran the window, or damaged)", e);
        }
    }

    @SuppressWarnings("unchecked")
    private void restoreSlices(final DataInput in) throws IOException
    {
        restoreWatermark(in.readLong());
        emittedUpTo = lastEndAtOrBefore(watermark);
        final KeyGroupRange owned = context.keyGroupRange();
        final int count = in.readInt();
        if (count < 0)
        {
            throw new IOException(count + " slices");
        }
        // Slices start on a multiple of the slide and are written oldest first, each with its keys.
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final long start = in.readLong();
            final int members = in.readInt();
            if (Math.floorMod(start, slide) != 0 || i > 0 && start <= previous || members < 0)
            {
                throw new IOException("slice " + i + " of " + count + " starts at " + start + " with " + members + " keys");
            }
            previous = start;
            for (int m = 0; m < members; m++)
            {
                final Object key = serializer.deserialize(in);
                final long value = inline != null ? in.readLong() : 0;
                final Object accumulator = inline != null ? null : serializer.deserialize(in);
                if (owned.contains(KeyGroups.keyGroupFor(key, context.maxParallelism())))
                {
                    setCurrentKey(key);
                    final int slot = currentSlot();
                    final Slice slice = slice(start);
                    final boolean joined = slice.join(slot);
                    if (joined)
                    {
                        sliceCounts[slot]++;
                        slice.values[slot] = value;
                        slice.accumulators[slot] = accumulator;
                    }
                    else if (inline != null)
                    {
                        slice.values[slot] = inline.mergeLong(slice.values[slot], value);
                    }
                    else
                    {
                        slice.accumulators[slot] = aggregate.merge((ACC)slice.accumulators[slot], (ACC)accumulator);
                    }
                }
            }
        }
    }

    /**
     * @param copy whether to copy what the operator goes on changing, for a snapshot written
     *             on another thread.
     * @return the live slices as they stand.
     */
    private Slices captured(final boolean copy)
    {
        final long[] starts = new long[sliceCount];
        final int[][] members = new int[sliceCount][];
        final long[][] values = inline != null ? new long[sliceCount][] : null;
        final Object[][] accumulators = inline != null ? null : new Object[sliceCount][];
        for (int i = 0; i < sliceCount; i++)
        {
            final Slice slice = slices[i];
            starts[i] = slice.start;
            members[i] = slice.copyOfMembers();
            if (inline != null)
            {
                values[i] = copy ? slice.values.clone() : slice.values;
            }
            else if (copy)
            {
                accumulators[i] = new Object[slice.accumulators.length];
                for (final int slot : members[i])
                {
                    accumulators[i][slot] = copyOfAccumulator(slice.accumulators[slot]);
                }
            }
            else
            {
                accumulators[i] = slice.accumulators;
            }
        }
        return copy ? new Slices(serializer, watermark, Arrays.copyOf(keys, usedSlots), Arrays.copyOf(longKeys, usedSlots), starts, members, values, accumulators)
            : new Slices(serializer, watermark, keys, longKeys, starts, members, values, accumulators);
    }

    /**
     * @return the number of live slices; for tests that check that nothing is left behind.
     */
    public int liveSlices()
    {
        return sliceCount;
    }

    /**
     * @return the number of keys with a slot; for tests that check that nothing is left behind.
     */
    public int liveKeys()
    {
        return slots.size();
    }

    /**
     * @return whether the accumulators are plain {@code long}s in the slices, which they are
     * for a {@link LongAggregateFunction}; for tests.
     */
    public boolean accumulatesInline()
    {
        return inline != null;
    }

    @SuppressWarnings("unchecked")
    private void fire(final long end) throws Exception
    {
        final long start = end - size;
        for (int i = 0; i < sliceCount && slices[i].start < end; i++)
        {
            final Slice slice = slices[i];
            if (slice.start < start)
            {
                continue;
            }
            for (int m = 0; m < slice.memberCount(); m++)
            {
                final int slot = slice.member(m);
                final boolean joined = window.join(slot);
                if (inline != null)
                {
                    window.values[slot] = joined ? slice.values[slot] : inline.mergeLong(window.values[slot], slice.values[slot]);
                }
                else if (slicesPerWindow == 1)
                {
                    // A tumbling window's slice is its own: no copy of its accumulator.
                    window.accumulators[slot] = slice.accumulators[slot];
                }
                else
                {
                    // Slices are shared by several windows: merge into a fresh accumulator, never into a slice's.
                    final ACC merged = joined ? aggregate.createAccumulator() : (ACC)window.accumulators[slot];
                    window.accumulators[slot] = aggregate.merge(merged, (ACC)slice.accumulators[slot]);
                }
            }
        }
        firing = new TimeWindow(start, end);
        final long maxTimestamp = firing.maxTimestamp();
        for (int m = 0; m < window.memberCount(); m++)
        {
            final int slot = window.member(m);
            final R result = inline != null ? inline.resultOf(window.values[slot]) : aggregate.getResult((ACC)window.accumulators[slot]);
            metrics.windowFired(false);
            update = false;
            windowFunction.process((K)keyOf(slot), firing, result, this, collector.at(maxTimestamp));
        }
        window.clear();
    }

    /**
     * Fires one key's window again for a record that it took after its on-time firing.
     *
     * @param slot   the key's slot.
     * @param end    the window's end.
     * @param joined whether the key joined the record's slice with the record: then the
     *               result is an update only if another slice of the window holds the key.
     */
    @SuppressWarnings("unchecked")
    private void fireKey(final int slot, final long end, final boolean joined) throws Exception
    {
        final long start = end - size;
        int holding = 0;
        long value = 0;
        ACC accumulator = null;
        for (int i = 0; i < sliceCount && slices[i].start < end; i++)
        {
            final Slice slice = slices[i];
            if (slice.start < start || !slice.contains(slot))
            {
                continue;
            }
            if (inline != null)
            {
                value = holding == 0 ? slice.values[slot] : inline.mergeLong(value, slice.values[slot]);
            }
            else if (slicesPerWindow == 1)
            {
                accumulator = (ACC)slice.accumulators[slot];
            }
            else
            {
                // Merge into a fresh accumulator, never into a slice's.
                accumulator = aggregate.merge(holding == 0 ? aggregate.createAccumulator() : accumulator, (ACC)slice.accumulators[slot]);
            }
            holding++;
        }
        firing = new TimeWindow(start, end);
        update = !joined || holding > 1;
        metrics.windowFired(update);
        final R result = inline != null ? inline.resultOf(value) : aggregate.getResult(accumulator);
        windowFunction.process((K)keyOf(slot), firing, result, this, collector.at(firing.maxTimestamp()));
    }

    /** Discards the slices whose last window no record can reach at this watermark. */
    private void discardSlicesCleanedUpBy(final long watermark)
    {
        int discarded = 0;
        while (discarded < sliceCount && late.cleanupTime(slices[discarded].start + size - 1) <= watermark)
        {
            final Slice slice = slices[discarded];
            for (int m = 0; m < slice.memberCount(); m++)
            {
                final int slot = slice.member(m);
                if (--sliceCounts[slot] == 0)
                {
                    releaseSlot(slot);
                }
            }
            slice.clear();
            spareSlices.push(slice);
            if (lastSlice == slice)
            {
                lastSlice = null;
            }
            discarded++;
        }
        if (discarded > 0)
        {
            System.arraycopy(slices, discarded, slices, 0, sliceCount - discarded);
            Arrays.fill(slices, sliceCount - discarded, sliceCount, null);
            sliceCount -= discarded;
        }
    }

    /**
     * @return the latest window end {@code e} with {@code e - 1 <= watermark}, or
     * {@link Watermark#NONE} if there is none.
     */
    private long lastEndAtOrBefore(final long watermark)
    {
        if (watermark < Long.MIN_VALUE + slide)
        {
            return Watermark.NONE;
        }
        final long rest = Math.floorMod(watermark, slide);
        return rest == slide - 1 && watermark != Long.MAX_VALUE ? watermark + 1 : watermark - rest;
    }

    private Slice slice(final long start)
    {
        final Slice last = lastSlice;
        if (last != null && last.start == start)
        {
            return last;
        }
        // New slices are mostly the latest: search from the end.
        int i = sliceCount - 1;
        while (i >= 0 && slices[i].start > start)
        {
            i--;
        }
        final Slice slice;
        if (i >= 0 && slices[i].start == start)
        {
            slice = slices[i];
        }
        else
        {
            slice = spareSlices.isEmpty() ? new Slice() : spareSlices.pop();
            slice.start = start;
            if (sliceCount == slices.length)
            {
                slices = Arrays.copyOf(slices, sliceCount * 2);
            }
            System.arraycopy(slices, i + 1, slices, i + 2, sliceCount - i - 1);
            slices[i + 1] = slice;
            sliceCount++;
        }
        lastSlice = slice;
        return slice;
    }

    private int currentSlot()
    {
        final int found = objectKey == null ? slots.get(longKey) : slots.get(objectKey);
        if (found != KeyIndex.NONE)
        {
            return found;
        }
        final int slot;
        if (freeSlotCount > 0)
        {
            slot = freeSlots[--freeSlotCount];
        }
        else
        {
            if (usedSlots == keys.length)
            {
                final int capacity = usedSlots * 2;
                keys = Arrays.copyOf(keys, capacity);
                longKeys = Arrays.copyOf(longKeys, capacity);
                sliceCounts = Arrays.copyOf(sliceCounts, capacity);
                freeSlots = Arrays.copyOf(freeSlots, capacity);
            }
            slot = usedSlots++;
        }
        keys[slot] = objectKey;
        longKeys[slot] = longKey;
        if (objectKey == null)
        {
            slots.put(longKey, slot);
        }
        else
        {
            slots.put(objectKey, slot);
        }
        return slot;
    }

    private void releaseSlot(final int slot)
    {
        if (keys[slot] == null)
        {
            slots.remove(longKeys[slot]);
        }
        else
        {
            slots.remove(keys[slot]);
            keys[slot] = null;
        }
        freeSlots[freeSlotCount++] = slot;
    }

    private Object keyOf(final int slot)
    {
        final Object key = keys[slot];
        return key != null ? key : Long.valueOf(longKeys[slot]);
    }

    /**
     * The live slices as they stood at a snapshot: the operator's own arrays when written at
     * once, copies when handed to the checkpoint writer.
     *
     * @param serializer   writes keys and object accumulators.
     * @param watermark    the watermark.
     * @param keys         the keys that are no {@code Long}, by slot.
     * @param longKeys     the {@code Long} keys, by slot.
     * @param starts       each slice's start, oldest first.
     * @param members      each slice's key slots, in the order they joined.
     * @param values       each slice's inline accumulators by slot, or null when they are
     *                     objects.
     * @param accumulators each slice's object accumulators by slot, or null when they are
     *                     inline.
     */
    private record Slices(TypeSerializer<Object> serializer, long watermark, Object[] keys, long[] longKeys, long[] starts, int[][] members, long[][] values,
                          Object[][] accumulators) implements OperatorSnapshot
    {
        @Override
        public void writeTo(final DataOutput target) throws IOException
        {
            final ChunkedOutput out = new ChunkedOutput(target);
            out.writeLong(watermark);
            out.writeInt(starts.length);
            for (int i = 0; i < starts.length; i++)
            {
                out.writeLong(starts[i]);
                out.writeInt(members[i].length);
                for (final int slot : members[i])
                {
                    final Object key = keys[slot];
                    serializer.serialize(key != null ? key : Long.valueOf(longKeys[slot]), out);
                    if (values != null)
                    {
                        out.writeLong(values[i][slot]);
                    }
                    else
                    {
                        serializer.serialize(accumulators[i][slot], out);
                    }
                }
            }
            out.flush();
        }
    }
}
