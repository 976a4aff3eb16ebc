package io.tidemark.engine.checkpoint;

import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceContext;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.state.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source over logs the test appends to, one per split, that outlive the job: a split is a
 * log and an offset, so a job resumed from a checkpoint reads on from where the checkpoint
 * left it, and a restarted one replays. Record {@code i} of split {@code s} is the id
 * {@code s * 1_000_000 + i}. A split can be held: its reader then blocks in {@code read}
 * (a slow source) and its task reads no mail until the test lets it go. A discoverable feed
 * starts with its first splits only; the test announces the others while the job runs, and
 * subtask {@code index % parallelism} discovers split {@code index}.
 */
final class FeedSource implements Source<Long, FeedSource.Split>
{
    /** Records a reader hands over per read, so that reads interleave with barriers. */
    static final int PER_READ = 16;

    record Split(int index, long offset) implements SourceSplit
    {
        @Override
        public String splitId()
        {
            return "feed-" + index;
        }
    }

    /** How often a discoverable feed's subtasks look for announced splits. */
    static final Duration DISCOVERY_INTERVAL = Duration.ofMillis(10);

    private final List<List<Long>> logs;
    private final boolean[] ended;
    private final Semaphore[] gates;
    private final boolean bounded;
    /** Splits below this exist; -1 for a feed without discovery, whose splits all exist from the start. */
    private final AtomicInteger announced;
    /** Per split, the offset the latest completed checkpoint its reader heard of stored. */
    private final Map<Integer, Long> completed = new ConcurrentHashMap<>();

    /**
     * @param splits  the number of splits.
     * @param bounded whether splits end once the test ends them.
     */
    FeedSource(final int splits, final boolean bounded)
    {
        this(splits, bounded, -1);
    }

    /**
     * @param splits  the number of splits there can be.
     * @param bounded whether splits end once the test ends them.
     * @param initial how many exist from the start; the others appear when announced. -1:
     *                all, and no discovery.
     */
    FeedSource(final int splits, final boolean bounded, final int initial)
    {
        this.logs = new ArrayList<>();
        this.ended = new boolean[splits];
        this.gates = new Semaphore[splits];
        for (int i = 0; i < splits; i++)
        {
            logs.add(new ArrayList<>());
            gates[i] = new Semaphore(1);
        }
        this.bounded = bounded;
        this.announced = new AtomicInteger(initial);
    }

    private FeedSource(final FeedSource feed, final boolean bounded)
    {
        this.logs = feed.logs;
        this.ended = feed.ended;
        this.gates = feed.gates;
        this.announced = feed.announced;
        this.bounded = bounded;
    }

    /**
     * @return the same feed (logs, ends, announced splits) as a bounded source.
     */
    FeedSource asBounded()
    {
        return new FeedSource(this, true);
    }

    /**
     * @return per split, the offset that the latest completed checkpoint its reader was told
     * of stored.
     */
    Map<Integer, Long> completedOffsets()
    {
        return Map.copyOf(completed);
    }

    /**
     * Makes the next split of a discoverable feed appear.
     *
     * @return its index.
     */
    int announce()
    {
        return announced.getAndIncrement();
    }

    /**
     * @param split a split.
     * @param count records to append to it.
     */
    void feed(final int split, final int count)
    {
        final List<Long> log = logs.get(split);
        synchronized (log)
        {
            for (int i = 0; i < count; i++)
            {
                log.add(split * 1_000_000L + log.size());
            }
        }
    }

    /**
     * @param split a split.
     * @return the ids appended to it so far.
     */
    List<Long> fed(final int split)
    {
        final List<Long> log = logs.get(split);
        synchronized (log)
        {
            return List.copyOf(log);
        }
    }

    /**
     * @param split a split that ends once read to its end.
     */
    synchronized void end(final int split)
    {
        ended[split] = true;
    }

    private synchronized boolean isEnded(final int split)
    {
        return ended[split];
    }

    /**
     * Makes the split's next read block until {@link #release}.
     *
     * @param split a split.
     * @throws InterruptedException if interrupted.
     */
    void hold(final int split) throws InterruptedException
    {
        gates[split].acquire();
    }

    /**
     * @param split a held split.
     */
    void release(final int split)
    {
        gates[split].release();
    }

    @Override
    public List<Split> createSplits(final int parallelism)
    {
        final List<Split> splits = new ArrayList<>();
        for (int i = 0; i < existing(); i++)
        {
            splits.add(new Split(i, 0));
        }
        return splits;
    }

    private int existing()
    {
        return announced.get() < 0 ? logs.size() : announced.get();
    }

    @Override
    public SplitReader<Long> createReader(final Split split)
    {
        return new Reader(split);
    }

    @Override
    public Duration discoveryInterval()
    {
        return announced.get() < 0 ? Duration.ZERO : DISCOVERY_INTERVAL;
    }

    @Override
    public List<Split> discoverSplits(final SourceContext context, final Set<String> known)
    {
        final List<Split> found = new ArrayList<>();
        for (int i = 0; i < existing(); i++)
        {
            final Split split = new Split(i, 0);
            if (i % context.parallelism() == context.subtask() && !known.contains(split.splitId()))
            {
                found.add(split);
            }
        }
        return found;
    }

    @Override
    public TypeSerializer<Split> splitSerializer()
    {
        return new TypeSerializer<>()
        {
            @Override
            public void serialize(final Split value, final DataOutput out) throws IOException
            {
                out.writeInt(value.index());
                out.writeLong(value.offset());
            }

            @Override
            public Split deserialize(final DataInput in) throws IOException
            {
                return new Split(in.readInt(), in.readLong());
            }
        };
    }

    @Override
    public boolean isBounded()
    {
        return bounded;
    }

    private final class Reader implements SplitReader<Long>
    {
        private final int index;
        private final List<Long> log;
        private long offset;

        Reader(final Split split)
        {
            this.index = split.index();
            this.log = logs.get(index);
            this.offset = split.offset();
        }

        @Override
        public ReadStatus read(final SourceOutput<Long> output) throws InterruptedException
        {
            gates[index].acquire();
            gates[index].release();
            // Read "ended" first: whatever was fed before end() is then read before the end.
            final boolean finished = isEnded(index);
            final List<Long> batch = new ArrayList<>();
            synchronized (log)
            {
                for (long i = offset; i < log.size() && batch.size() < PER_READ; i++)
                {
                    batch.add(log.get((int)i));
                }
            }
            for (final Long id : batch)
            {
                output.collect(id);
                offset++;
            }
            if (batch.isEmpty())
            {
                return finished ? ReadStatus.END_OF_SPLIT : ReadStatus.NOTHING_AVAILABLE;
            }
            return ReadStatus.MORE_AVAILABLE;
        }

        @Override
        public SourceSplit currentSplit()
        {
            return new Split(index, offset);
        }

        @Override
        public void notifyCheckpointComplete(final long checkpointId, final SourceSplit split)
        {
            completed.put(index, ((Split)split).offset());
        }

        @Override
        public void close()
        {
        }
    }
}
