package io.tidemark.engine.task;

import io.tidemark.engine.functions.ReusableRecord;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceContext;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.time.TimestampAssigner;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkCombiner;
import io.tidemark.engine.time.WatermarkGenerator;
import io.tidemark.engine.time.WatermarkOutput;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.time.WatermarkValve;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task headed by a source: reads its splits in turn, a batch from each; runs one watermark
 * generator per split and combines them with a {@link WatermarkCombiner}; calls the
 * generators' periodic emit every auto-watermark interval. Every reader is opened with the
 * subtask's {@link SourceContext}. A source with a discovery interval is asked that often
 * (the clock is read between batches anyway) for splits that appeared since the job started;
 * each new split gets its own reader and watermark generator and from then on is stored in
 * checkpoints and position files like the others. A bounded source ends when all its splits
 * have; a subtask without splits is idle from the start, and for an unbounded source stays so
 * until it discovers one or the job is cancelled. A checkpoint starts here: on a trigger from
 * its mailbox the task records where each split stands, snapshots its chain and sends the
 * barrier downstream, all between two reads; when the checkpoint completes, each reader still
 * open hears of it with the split as it was stored.
 *
 * @param <T> the record type.
 * @param <S> the split type.
 */
final class SourceTask<T, S extends SourceSplit> extends Task implements WatermarkValve.Output
{
    private final Source<T, S> source;
    private final SourceContext context;
    private final List<S> splits;
    private final Set<String> known;
    private final WatermarkStrategy<T> strategy;
    private final long watermarkInterval;
    private final long discoveryInterval;
    private final Output<T> output;
    private final OperatorMetrics metrics;
    private final TypeSerializer<S> splitSerializer;
    private final PositionFiles.Writer positions;
    private final long restoredWatermark;
    /** Whether the readers' records are copied here, since the source refills them. */
    private final boolean copies;
    private final List<S> standing = new ArrayList<>();
    private final List<SplitReader<T>> readers = new ArrayList<>();
    private final List<SplitOutput> outputs = new ArrayList<>();
    /** Per checkpoint taken and not yet completed or aborted: the splits it stored, by reader index. */
    private final Map<Long, SourceSplit[]> stored = new HashMap<>();
    private WatermarkCombiner combiner;
    private int remaining;
    private long lastWatermark = Watermark.NONE;
    private int held;

    /**
     * @param context           the subtask, for readers and discovery.
     * @param splits            the splits the subtask reads from the start.
     * @param known             the ids of every split the job knows at start (on every
     *                          subtask the same); the task adds those it discovers.
     * @param positions         where an at-most-once job records how far it has read before
     *                          it hands records on; {@code null} otherwise.
     * @param restoredWatermark the watermark the subtask emits first, {@link Watermark#NONE}
     *                          unless it resumes at-most-once positions: records of windows
     *                          that already fired are then late, not counted again.
     * @param copies            whether to hand on a copy of each record: the source reuses
     *                          its records and an operator is chained to it or records are held.
     */
    @SuppressWarnings("unchecked")
    SourceTask(final String name, final OperatorChain chain, final Source<T, S> source, final SourceContext context, final List<S> splits,
        final Set<String> known, final WatermarkStrategy<T> strategy, final JobControl control, final ExecutionConfig config, final TaskCheckpoints checkpoints,
        final PositionFiles.Writer positions, final long restoredWatermark, final boolean copies)
    {
        super(name, chain, control, config, checkpoints);
        this.splitSerializer = source.splitSerializer();
        this.positions = positions;
        this.restoredWatermark = restoredWatermark;
        this.copies = copies;
        this.source = source;
        this.context = context;
        this.splits = splits;
        this.known = known;
        final Duration idleTimeout = source.defaultIdleTimeout();
        this.strategy = strategy.idleTimeoutMillis() == 0 && idleTimeout.toMillis() > 0 ? strategy.withIdleness(idleTimeout) : strategy;
        this.watermarkInterval = config.autoWatermarkIntervalMillis();
        this.discoveryInterval = source.discoveryInterval().toMillis();
        this.output = (Output<T>)chain.sourceOutput();
        this.metrics = chain.sourceMetrics();
    }

    @Override
    void process() throws Exception
    {
        try
        {
            // Sized for the splits of the start, so that a subtask that has some is never idle for a moment.
            combiner = new WatermarkCombiner(splits.size(), this);
            for (int i = 0; i < splits.size(); i++)
            {
                openReader(splits.get(i), i);
            }
            if (restoredWatermark != Watermark.NONE)
            {
                emitWatermark(restoredWatermark);
            }
            read();
        }
        finally
        {
            if (positions != null)
            {
                positions.close();
            }
            // Readers still open when the job stops early are closed here.
            for (final SplitReader<T> reader : readers)
            {
                if (reader != null)
                {
                    reader.close();
                }
            }
            source.closeSubtask(context);
        }
        if (readers.isEmpty())
        {
            // A bounded source subtask without splits has reached its end of input.
            emitWatermark(Watermark.END);
        }
    }

    /** Opens a reader for the split, with its own watermark generator writing to the combiner's input {@code index}. */
    private void openReader(final S split, final int index) throws Exception
    {
        outputs.add(new SplitOutput(strategy.createGenerator(clock), combiner.outputFor(index)));
        readers.add(source.createReader(split, context));
        remaining++;
    }

    private void read() throws Exception
    {
        final long start = clock.millis();
        long nextPeriodicEmit = start + watermarkInterval;
        long nextDiscovery = discoveryInterval > 0 ? start + discoveryInterval : Long.MAX_VALUE;
        while (remaining > 0 || !source.isBounded())
        {
            int work = 0;
            for (int i = 0, count = readers.size(); i < count; i++)
            {
                final SplitReader<T> reader = readers.get(i);
                if (reader == null)
                {
                    continue;
                }
                final ReadStatus status = reader.read(outputs.get(i));
                if (status == ReadStatus.END_OF_SPLIT)
                {
                    if (held > 0)
                    {
                        // Before the split's end moves the watermark past what it holds.
                        handOn();
                    }
                    reader.close();
                    readers.set(i, null);
                    remaining--;
                    combiner.splitFinished(i);
                }
                if (status != ReadStatus.NOTHING_AVAILABLE)
                {
                    work++;
                }
            }
            if (held > 0)
            {
                handOn();
            }
            final long now = clock.millis();
            if (now >= nextPeriodicEmit)
            {
                for (int i = 0, count = readers.size(); i < count; i++)
                {
                    if (readers.get(i) != null)
                    {
                        outputs.get(i).generator.onPeriodicEmit(outputs.get(i).watermarks);
                    }
                }
                nextPeriodicEmit = now + watermarkInterval;
            }
            if (now >= nextDiscovery)
            {
                discover();
                nextDiscovery = now + discoveryInterval;
            }
            afterBatch(work);
        }
    }

    private void discover() throws Exception
    {
        for (final S split : source.discoverSplits(context, Collections.unmodifiableSet(known)))
        {
            if (!known.add(split.splitId()))
            {
                throw new IllegalStateException("the source discovered split " + split.splitId() + " again");
            }
            openReader(split, combiner.addSplit());
        }
    }

    /**
     * At most once: records where the splits stand, then hands on what the round read. A crash
     * in between loses those records rather than reading them again.
     */
    private void handOn() throws IOException
    {
        positions.write(lastWatermark, standingSplits(), splitSerializer);
        held = 0;
        for (int i = 0, count = outputs.size(); i < count; i++)
        {
            outputs.get(i).release();
        }
    }

    /**
     * The splits still being read, where each reader stands: a count, then each split. A split
     * that has ended is left out, so a resumed job does not read it again.
     */
    @Override
    byte[] snapshotSplits(final long checkpointId) throws Exception
    {
        final List<S> current = standingSplits();
        final SourceSplit[] byReader = new SourceSplit[readers.size()];
        for (int i = 0, j = 0; i < byReader.length; i++)
        {
            byReader[i] = readers.get(i) == null ? null : current.get(j++);
        }
        stored.put(checkpointId, byReader);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(current.size());
        for (final S split : current)
        {
            splitSerializer.serialize(split, out);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private List<S> standingSplits()
    {
        standing.clear();
        for (int i = 0, count = readers.size(); i < count; i++)
        {
            final SplitReader<T> reader = readers.get(i);
            if (reader != null)
            {
                standing.add((S)reader.currentSplit());
            }
        }
        return standing;
    }

    /** Tells each reader still open what the checkpoint stored of its split. */
    @Override
    void checkpointCompleted(final long checkpointId) throws Exception
    {
        final SourceSplit[] byReader = stored.remove(checkpointId);
        // Older checkpoints still waiting were overtaken: this one supersedes them.
        stored.keySet().removeIf(id -> id < checkpointId);
        if (byReader == null)
        {
            return;
        }
        for (int i = 0; i < byReader.length; i++)
        {
            final SplitReader<T> reader = readers.get(i);
            if (reader != null && byReader[i] != null)
            {
                reader.notifyCheckpointComplete(checkpointId, byReader[i]);
            }
        }
    }

    @Override
    void checkpointAborted(final long checkpointId)
    {
        stored.remove(checkpointId);
    }

    @Override
    public void emitWatermark(final long watermark)
    {
        if (watermark < restoredWatermark)
        {
            // Behind what the subtask had emitted before the restart: already promised.
            return;
        }
        lastWatermark = watermark;
        metrics.watermark(watermark);
        output.emitWatermark(watermark);
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        metrics.idle(idle);
        output.emitIdle(idle);
    }

    /**
     * Where one split's reader emits: a copy of the record if the task copies, timestamps, the
     * split's generator, then the chain. At most once it holds the records of a read back until the positions are recorded, in arrays
     * reused from one read to the next.
     */
    private final class SplitOutput implements SourceOutput<T>
    {
        private final TimestampAssigner<T> assigner = strategy.timestampAssigner();
        final WatermarkGenerator<T> generator;
        final WatermarkOutput watermarks;
        private Object[] heldValues = new Object[0];
        private long[] heldTimestamps = new long[0];
        private int heldCount;

        SplitOutput(final WatermarkGenerator<T> generator, final WatermarkOutput watermarks)
        {
            this.generator = generator;
            this.watermarks = watermarks;
        }

        @Override
        public void collect(final T value)
        {
            collect(value, Watermark.NONE);
        }

        @Override
        public void collect(final T value, final long timestamp)
        {
            final T record = copies ? copyOf(value) : value;
            final long assigned = assigner == null ? timestamp : assigner.extractTimestamp(record, timestamp);
            if (positions != null)
            {
                hold(record, assigned);
                return;
            }
            emit(record, assigned);
        }

        @SuppressWarnings("unchecked")
        private T copyOf(final T reused)
        {
            return (T)((ReusableRecord<?>)reused).copy();
        }

        private void emit(final T value, final long timestamp)
        {
            metrics.recordIn(timestamp);
            output.collect(value, timestamp);
            generator.onEvent(value, timestamp, watermarks);
        }

        private void hold(final T value, final long timestamp)
        {
            if (heldCount == heldValues.length)
            {
                final int grown = Math.max(16, heldCount * 2);
                heldValues = Arrays.copyOf(heldValues, grown);
                heldTimestamps = Arrays.copyOf(heldTimestamps, grown);
            }
            heldValues[heldCount] = value;
            heldTimestamps[heldCount++] = timestamp;
            held++;
        }

        @SuppressWarnings("unchecked")
        void release()
        {
            for (int i = 0; i < heldCount; i++)
            {
                emit((T)heldValues[i], heldTimestamps[i]);
                heldValues[i] = null;
            }
            heldCount = 0;
        }
    }
}
