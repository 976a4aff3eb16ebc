package io.tidemark.engine.source;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits the elements of a list, in order, from one split; or, cut into several splits, the
 * elements at positions {@code i} with {@code i % splits == k} from split {@code k}. For tests
 * and examples.
 *
 * @param <T> the element type.
 */
public final class CollectionSource<T> implements Source<T, CollectionSource.Split<T>>
{
    private static final int BATCH = 256;

    /**
     * One slice of the list; a checkpoint stores what is left of it to read, so its elements
     * must be {@link Serializable} for a checkpointed job.
     *
     * @param index    the split's index.
     * @param elements its elements, in order.
     * @param <T>      the element type.
     */
    public record Split<T>(int index, List<T> elements) implements SourceSplit, Serializable
    {
        @Override
        public String splitId()
        {
            return "collection-" + index;
        }
    }

    private final List<T> elements;
    private final int splits;

    private CollectionSource(final List<T> elements, final int splits)
    {
        if (splits < 1)
        {
            throw new IllegalArgumentException("need at least one split: " + splits);
        }
        this.elements = List.copyOf(elements);
        this.splits = splits;
    }

    /**
     * @param elements the elements, none {@code null}.
     * @param <T>      the element type.
     * @return a source with one split.
     */
    public static <T> CollectionSource<T> of(final List<T> elements)
    {
        return new CollectionSource<>(elements, 1);
    }

    /**
     * @param elements the elements, none {@code null}.
     * @param splits   how many splits to deal them into, round robin.
     * @param <T>      the element type.
     * @return the source.
     */
    public static <T> CollectionSource<T> of(final List<T> elements, final int splits)
    {
        return new CollectionSource<>(elements, splits);
    }

    @Override
    public List<Split<T>> createSplits(final int parallelism)
    {
        final List<Split<T>> result = new ArrayList<>(splits);
        for (int k = 0; k < splits; k++)
        {
            final List<T> slice = new ArrayList<>();
            for (int i = k; i < elements.size(); i += splits)
            {
                slice.add(elements.get(i));
            }
            result.add(new Split<>(k, slice));
        }
        return result;
    }

    @Override
    public SplitReader<T> createReader(final Split<T> split)
    {
        return new SplitReader<>()
        {
            private int next;

            @Override
            public ReadStatus read(final SourceOutput<T> output)
            {
                final int end = Math.min(split.elements().size(), next + BATCH);
                while (next < end)
                {
                    output.collect(split.elements().get(next++));
                }
                return next < split.elements().size() ? ReadStatus.MORE_AVAILABLE : ReadStatus.END_OF_SPLIT;
            }

            @Override
            public SourceSplit currentSplit()
            {
                return new Split<>(split.index(), List.copyOf(split.elements().subList(next, split.elements().size())));
            }
        };
    }

    @Override
    public boolean isBounded()
    {
        return true;
    }
}
