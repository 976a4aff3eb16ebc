package io.tidemark.engine.state;

/**
 * Describes a {@link LongRowState}.
 */
public final class LongRowStateDescriptor extends StateDescriptor<LongRowState>
{
    private final int width;

    /**
     * @param name  the state's name.
     * @param width the number of longs in a row.
     * @throws IllegalArgumentException if the width is not positive.
     */
    public LongRowStateDescriptor(final String name, final int width)
    {
        super(name);
        if (width < 1)
        {
            throw new IllegalArgumentException("a row holds at least one long, not " + width);
        }
        this.width = width;
    }

    /**
     * @return the number of longs in a row.
     */
    public int width()
    {
        return width;
    }

    @Override
    BackendState<?> createState(final KeyedStateBackend backend)
    {
        return new HeapLongRowState(backend, this);
    }

    @Override
    public String toString()
    {
        return "LongRowStateDescriptor(" + name() + ", " + width + " longs)";
    }
}
