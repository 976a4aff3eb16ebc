package io.tidemark.bench.nexmark;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.generator.NexmarkGenerator;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.time.WatermarkStrategy;

/**
 * The Nexmark event stream as a bounded source. With {@code n} splits (one per subtask), split
 * {@code k} emits the positions {@code k, k + n, k + 2n, ...} of the stream, each through a
 * generator of its own, so every subtask moves through event time at the same pace and the
 * splits together emit exactly the events one split would. Each event is stamped with its
 * {@code dateTime}; {@link #watermarks()} is the benchmark's bounded out-of-orderness of 4 s.
 */
public final class NexmarkSource implements Source<Event, NexmarkSource.Split>
{
    /** The benchmark's watermark bound. */
    public static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(4);

    private static final int BATCH = 512;

    /** Stores a split as its three numbers. */
    private static final TypeSerializer<Split> SPLIT_SERIALIZER = new TypeSerializer<>()
    {
        @Override
        public void serialize(final Split split, final DataOutput out) throws IOException
        {
            out.writeLong(split.first());
            out.writeLong(split.stride());
            out.writeLong(split.next());
        }

        @Override
        public Split deserialize(final DataInput in) throws IOException
        {
            return new Split(in.readLong(), in.readLong(), in.readLong());
        }
    };

    private final NexmarkConfig config;

    /**
     * The positions {@code first, first + stride, ...} of the stream, read on from {@code next}.
     *
     * @param first  the first position.
     * @param stride the distance between positions: the number of splits.
     * @param next   the next position to emit.
     */
    public record Split(long first, long stride, long next) implements SourceSplit
    {
        @Override
        public String splitId()
        {
            return "nexmark-" + first + "/" + stride;
        }
    }

    /**
     * @param config the stream.
     */
    public NexmarkSource(final NexmarkConfig config)
    {
        this.config = config;
    }

    /**
     * @return bounded out-of-orderness of {@link #OUT_OF_ORDERNESS}, on each event's
     * {@code dateTime}.
     */
    public static WatermarkStrategy<Event> watermarks()
    {
        return WatermarkStrategy.<Event>forBoundedOutOfOrderness(OUT_OF_ORDERNESS).withTimestampAssigner((event, timestamp) -> event.dateTime());
    }

    @Override
    public List<Split> createSplits(final int parallelism)
    {
        final List<Split> splits = new ArrayList<>(parallelism);
        for (int k = 0; k < parallelism; k++)
        {
            splits.add(new Split(k, parallelism, k));
        }
        return splits;
    }

    @Override
    public SplitReader<Event> createReader(final Split split)
    {
        final NexmarkGenerator generator = new NexmarkGenerator(config);
        final long events = config.events();
        return new SplitReader<>()
        {
            private long next = split.next();

            @Override
            public ReadStatus read(final SourceOutput<Event> output)
            {
                for (int i = 0; i < BATCH && next < events; i++)
                {
                    final Event event = generator.eventAt(next);
                    output.collect(event, event.dateTime());
                    next += split.stride();
                }
                return next < events ? ReadStatus.MORE_AVAILABLE : ReadStatus.END_OF_SPLIT;
            }

            @Override
            public SourceSplit currentSplit()
            {
                return new Split(split.first(), split.stride(), next);
            }
        };
    }

    @Override
    public TypeSerializer<Split> splitSerializer()
    {
        return SPLIT_SERIALIZER;
    }

    @Override
    public boolean isBounded()
    {
        return true;
    }
}
