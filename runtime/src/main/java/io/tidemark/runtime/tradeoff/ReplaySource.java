package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;

import java.util.List;

/**
 * Replays an {@link EventStream} in arrival order as one split, so one watermark generator
 * sees the events exactly as a single connection would deliver them.
 */
final class ReplaySource implements Source<DeviceEvent, ReplaySource.Whole>
{
    private static final int BATCH = 1024;

    private final EventStream stream;
    private final TradeoffHarness.Progress progress;

    ReplaySource(final EventStream stream, final TradeoffHarness.Progress progress)
    {
        this.stream = stream;
        this.progress = progress;
    }

    /** The only split: the whole stream. */
    record Whole() implements SourceSplit
    {
        @Override
        public String splitId()
        {
            return "replay";
        }
    }

    @Override
    public List<Whole> createSplits(final int parallelism)
    {
        return List.of(new Whole());
    }

    @Override
    public SplitReader<DeviceEvent> createReader(final Whole split)
    {
        return new SplitReader<>()
        {
            private int next;

            @Override
            public ReadStatus read(final SourceOutput<DeviceEvent> output)
            {
                final int end = Math.min(stream.size(), next + BATCH);
                progress.replayed(end - next);
                for (; next < end; next++)
                {
                    output.collect(stream.event(next));
                }
                return next == stream.size() ? ReadStatus.END_OF_SPLIT : ReadStatus.MORE_AVAILABLE;
            }
        };
    }

    @Override
    public boolean isBounded()
    {
        return true;
    }
}
