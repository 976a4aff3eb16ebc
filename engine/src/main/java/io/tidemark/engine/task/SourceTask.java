package io.tidemark.engine.task;

import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A task headed by a source: reads its splits in turn, a batch from each; runs one watermark
 * generator per split and combines them with a {@link WatermarkCombiner}; calls the
 * generators' periodic emit every auto-watermark interval. A bounded source ends when all
 * its splits have; a subtask without splits is idle from the start, and for an unbounded
 * source stays so until the job is cancelled. A checkpoint starts here: on a trigger from its
 * mailbox the task records where each split stands, snapshots its chain and sends the barrier
 * downstream, all between two reads.
 *
 * @param <T> the record type.
 * @param <S> the split type.
 */
final class SourceTask<T, S extends SourceSplit> extends Task implements WatermarkValve.Output
{
    private final Source<T, S> source;
    private final List<S> splits;
    private final WatermarkStrategy<T> strategy;
    private final long watermarkInterval;
    private final Output<T> output;
    private final OperatorMetrics metrics;
    private final TypeSerializer<S> splitSerializer;
    private final PositionFiles.Writer positions;
    private final long restoredWatermark;
    private final List<S> standing = new ArrayList<>();
    private SplitReader<T>[] readers;
    private long lastWatermark = Watermark.NONE;
    private int held;

    /**
     * @param positions         where an at-most-once job records how far it has read before
     *                          it hands records on; {@code null} otherwise.
     * @param restoredWatermark the watermark the subtask emits first, {@link Watermark#NONE}
     *                          unless it resumes at-most-once positions: records of windows
     *                          that already fired are then late, not counted again.
     */
    @SuppressWarnings("unchecked")
    SourceTask(final String name, final OperatorChain chain, final Source<T, S> source, final List<S> splits, final WatermarkStrategy<T> strategy,
        final JobControl control, final ExecutionConfig config, final TaskCheckpoints checkpoints, final PositionFiles.Writer positions,
        final long restoredWatermark)
    {
        super(name, chain, control, config, checkpoints);
        this.splitSerializer = source.splitSerializer();
        this.positions = positions;
        this.restoredWatermark = restoredWatermark;
        this.source = source;
        this.splits = splits;
        this.strategy = strategy;
        this.watermarkInterval = config.autoWatermarkIntervalMillis();
        this.output = (Output<T>)chain.sourceOutput();
        this.metrics = chain.sourceMetrics();
    }

    @Override
    void process() throws Exception
    {
        readers = readers();
        try
        {
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
        }
        if (splits.isEmpty())
        {
            // A bounded source subtask without splits has reached its end of input.
            emitWatermark(Watermark.END);
        }
    }

    private void read() throws Exception
    {
        final int count = splits.size();
        final WatermarkCombiner combiner = new WatermarkCombiner(count, this);
        final List<SplitOutput> outputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            outputs.add(new SplitOutput(strategy.createGenerator(clock), combiner.outputFor(i)));
        }
        int remaining = count;
        long nextPeriodicEmit = clock.millis() + watermarkInterval;
        while (remaining > 0 || !source.isBounded())
        {
            int work = 0;
            for (int i = 0; i < count; i++)
            {
                if (readers[i] == null)
                {
                    continue;
                }
                final ReadStatus status = readers[i].read(outputs.get(i));
                if (status == ReadStatus.END_OF_SPLIT)
                {
                    if (held > 0)
                    {
                        // Before the split's end moves the watermark past what it holds.
                        handOn(outputs);
                    }
                    readers[i].close();
                    readers[i] = null;
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
                handOn(outputs);
            }
            final long now = clock.millis();
            if (now >= nextPeriodicEmit)
            {
                for (int i = 0; i < count; i++)
                {
                    if (readers[i] != null)
                    {
                        outputs.get(i).generator.onPeriodicEmit(outputs.get(i).watermarks);
                    }
                }
                nextPeriodicEmit = now + watermarkInterval;
            }
            afterBatch(work);
        }
    }

    /**
     * At most once: records where the splits stand, then hands on what the round read. A crash
     * in between loses those records rather than reading them again.
     */
    private void handOn(final List<SplitOutput> outputs) throws IOException
    {
        positions.write(lastWatermark, standingSplits(), splitSerializer);
        held = 0;
        for (final SplitOutput splitOutput : outputs)
        {
            splitOutput.release();
        }
    }

    /**
     * The splits still being read, where each reader stands: a count, then each split. A split
     * that has ended is left out, so a resumed job does not read it again.
     */
    @Override
    byte[] snapshotSplits() throws Exception
    {
        final List<S> current = standingSplits();
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
        for (final SplitReader<T> reader : readers)
        {
            if (reader != null)
            {
                standing.add((S)reader.currentSplit());
            }
        }
        return standing;
    }

    @SuppressWarnings("unchecked")
    private SplitReader<T>[] readers() throws Exception
    {
        final SplitReader<T>[] created = (SplitReader<T>[])new SplitReader<?>[splits.size()];
        for (int i = 0; i < created.length; i++)
        {
            created[i] = source.createReader(splits.get(i));
        }
        return created;
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
     * Where one split's reader emits: timestamps, the split's generator, then the chain. At most
     * once it holds the records of a read back until the positions are recorded, in arrays
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
            final long assigned = assigner == null ? timestamp : assigner.extractTimestamp(value, timestamp);
            if (positions != null)
            {
                hold(value, assigned);
                return;
            }
            emit(value, assigned);
        }

        private void emit(final T value, final long timestamp)
        {
            metrics.recordIn();
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
