package io.tidemark.engine.source;

import io.tidemark.engine.functions.ReusableRecord;
import io.tidemark.engine.state.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Generates records from their index: record {@code i} is {@code function.generate(i)}, for
 * {@code 0 <= i < count}. With {@code n} splits, split {@code k} produces the indices
 * {@code i % n == k} in increasing order, so every split moves through the sequence at the
 * same pace (the event generator of the benchmark workloads relies on this). By default
 * there is one split per subtask. A source made by {@link #reusing} fills one mutable record
 * per split instead of making one per index, and so allocates nothing per record.
 *
 * @param <T> the record type.
 */
public final class GeneratorSource<T> implements Source<T, GeneratorSource.Split>
{
    /**
     * Makes record {@code i}.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    public interface GeneratorFunction<T>
    {
        /**
         * @param index the record's index.
         * @return the record.
         */
        T generate(long index);
    }

    /**
     * Sets a reusable record's fields to those of record {@code i}.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    public interface RecordFiller<T>
    {
        /**
         * @param index  the record's index.
         * @param record the split's record, to overwrite entirely.
         */
        void fill(long index, T record);
    }

    /**
     * The indices {@code first, first + stride, ...} below the source's count, read on from
     * {@code next}.
     *
     * @param first  the first index; with the stride, what names the split.
     * @param stride the distance between indices: the number of splits.
     * @param next   the next index to generate: {@code first} for a fresh split, further on
     *               for one a checkpoint stored.
     */
    public record Split(long first, long stride, long next) implements SourceSplit
    {
        /**
         * @param first  the first index.
         * @param stride the distance between indices.
         */
        public Split(final long first, final long stride)
        {
            this(first, stride, first);
        }

        @Override
        public String splitId()
        {
            return "generator-" + first + "/" + stride;
        }
    }

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

    private static final int BATCH = 512;

    private final long count;
    /** Makes the generator function of one split's reader. */
    private final Supplier<GeneratorFunction<T>> functions;
    private final int splits;
    private final boolean reuses;

    private GeneratorSource(final long count, final Supplier<GeneratorFunction<T>> functions, final int splits, final boolean reuses)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        this.count = count;
        this.functions = functions;
        this.splits = splits;
        this.reuses = reuses;
    }

    /**
     * @param count    how many records; {@link Long#MAX_VALUE} for an endless source.
     * @param function makes record {@code i}.
     * @param <T>      the record type.
     * @return a source with one split per subtask.
     */
    public static <T> GeneratorSource<T> of(final long count, final GeneratorFunction<T> function)
    {
        return new GeneratorSource<>(count, () -> function, 0, false);
    }

    /**
     * A source that emits, for every index, one record per split filled anew: the record is
     * handed over by reference and valid only for the call that receives it, as
     * {@link ReusableRecord} says: the source task copies each record for operators chained to
     * it, and when none is, the channels to other tasks copy it instead.
     *
     * @param count     how many records; {@link Long#MAX_VALUE} for an endless source.
     * @param newRecord makes the record of one split.
     * @param filler    fills it with record {@code i}.
     * @param <T>       the record type.
     * @return a source with one split per subtask.
     */
    public static <T extends ReusableRecord<T>> GeneratorSource<T> reusing(final long count, final Supplier<T> newRecord, final RecordFiller<T> filler)
    {
        return new GeneratorSource<>(count, () ->
        {
            final T record = newRecord.get();
            return index ->
            {
                filler.fill(index, record);
                return record;
            };
        }, 0, true);
    }

    /**
     * @param splits the number of splits, whatever the parallelism; positive.
     * @return a copy of this source cut into that many splits.
     */
    public GeneratorSource<T> withSplits(final int splits)
    {
        if (splits < 1)
        {
            throw new IllegalArgumentException("need at least one split: " + splits);
        }
        return new GeneratorSource<>(count, functions, splits, reuses);
    }

    @Override
    public List<Split> createSplits(final int parallelism)
    {
        final int n = splits > 0 ? splits : parallelism;
        final List<Split> result = new ArrayList<>(n);
        for (int k = 0; k < n; k++)
        {
            result.add(new Split(k, n));
        }
        return result;
    }

    @Override
    public SplitReader<T> createReader(final Split split)
    {
        return new SplitReader<>()
        {
            private final GeneratorFunction<T> function = functions.get();
            private long next = split.next();

            @Override
            public ReadStatus read(final SourceOutput<T> output)
            {
                for (int i = 0; i < BATCH && next < count; i++)
                {
                    output.collect(function.generate(next));
                    next += split.stride();
                    if (next < 0)
                    {
                        // Overflow past Long.MAX_VALUE: an endless source has ended after all.
                        next = Long.MAX_VALUE;
                    }
                }
                return next < count ? ReadStatus.MORE_AVAILABLE : ReadStatus.END_OF_SPLIT;
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
    public boolean reusesRecords()
    {
        return reuses;
    }

    @Override
    public boolean isBounded()
    {
        return count != Long.MAX_VALUE;
    }
}
