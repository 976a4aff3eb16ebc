package io.tidemark.engine.api;

import java.io.Serializable;

/**
 * A record of either of two streams, marked with its side, so that a window join or
 * co-group can window both streams as one and tell them apart when the window fires.
 *
 * @param <T1> the first stream's type.
 * @param <T2> the second stream's type.
 */
final class TaggedUnion<T1, T2> implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final T1 one;
    private final T2 two;

    private TaggedUnion(final T1 one, final T2 two)
    {
        this.one = one;
        this.two = two;
    }

    static <T1, T2> TaggedUnion<T1, T2> one(final T1 value)
    {
        return new TaggedUnion<>(value, null);
    }

    static <T1, T2> TaggedUnion<T1, T2> two(final T2 value)
    {
        return new TaggedUnion<>(null, value);
    }

    boolean isOne()
    {
        return one != null;
    }

    T1 getOne()
    {
        return one;
    }

    T2 getTwo()
    {
        return two;
    }
}
