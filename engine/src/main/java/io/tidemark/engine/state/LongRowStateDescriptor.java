package io.tidemark.engine.state;

/**
 * Describes a {@link LongRowState}.
 */
public final class LongRowStateDescriptor extends StateDescriptor<LongRowState>
{
    /** The widest row: a key group's table, one array, still holds 600,000 of them. */
    public static final int MAX_WIDTH = 1 << 10;

    private final int width;

    /**
     * @param name  the state's name.
     * @param width the number of longs in a row.
     * @throws IllegalArgumentException if the width is not from 1 to {@link #MAX_WIDTH}.
     */
    public LongRowStateDescriptor(final String name, final int width)
    {
        super(name);
        if (width < 1 || width > MAX_WIDTH)
        {
            throw new IllegalArgumentException("a row holds from 1 to " + MAX_WIDTH + " longs, not " + width);
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

    /** The same kind, and rows of the same width. */
    @Override
    boolean sameShape(final StateDescriptor<?> other)
    {
        return other instanceof LongRowStateDescriptor rows && rows.width == width;
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
