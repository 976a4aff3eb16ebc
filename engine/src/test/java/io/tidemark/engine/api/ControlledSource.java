package io.tidemark.engine.api;

import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A source whose splits the test feeds by hand, from its own thread: a split with nothing in
 * its queue has nothing available, as a quiet log partition would; a split ends when the
 * test says so and its queue is empty.
 */
final class ControlledSource<T> implements Source<T, ControlledSource.Split>
{
    record Split(int index) implements SourceSplit
    {
        @Override
        public String splitId()
        {
            return "controlled-" + index;
        }
    }

    private final List<ConcurrentLinkedQueue<T>> queues = new ArrayList<>();
    private final List<Boolean> ended = new ArrayList<>();

    ControlledSource(final int splits)
    {
        for (int i = 0; i < splits; i++)
        {
            queues.add(new ConcurrentLinkedQueue<>());
            ended.add(false);
        }
    }

    void feed(final int split, final T value)
    {
        queues.get(split).add(value);
    }

    synchronized void end(final int split)
    {
        ended.set(split, true);
    }

    private synchronized boolean isEnded(final int split)
    {
        return ended.get(split);
    }

    @Override
    public List<Split> createSplits(final int parallelism)
    {
        final List<Split> splits = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++)
        {
            splits.add(new Split(i));
        }
        return splits;
    }

    @Override
    public SplitReader<T> createReader(final Split split)
    {
        final ConcurrentLinkedQueue<T> queue = queues.get(split.index());
        return (SourceOutput<T> output) ->
        {
            // Read "ended" before draining: anything fed before end() is then drained first.
            final boolean finished = isEnded(split.index());
            T value;
            int emitted = 0;
            while ((value = queue.poll()) != null)
            {
                output.collect(value);
                emitted++;
            }
            if (finished && queue.isEmpty())
            {
                return ReadStatus.END_OF_SPLIT;
            }
            return emitted > 0 ? ReadStatus.MORE_AVAILABLE : ReadStatus.NOTHING_AVAILABLE;
        };
    }

    @Override
    public boolean isBounded()
    {
        return true;
    }
}
