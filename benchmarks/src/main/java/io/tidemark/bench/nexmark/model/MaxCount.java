package io.tidemark.bench.nexmark.model;

import java.util.Arrays;

/**
 * The accumulator of query 5's second step: the greatest bid count of a window, and every
 * auction that has it. Shared by both sides of the benchmark.
 */
public final class MaxCount
{
    private long max = -1;
    private long[] auctions = new long[4];
    private int size;

    /**
     * @param auction an auction.
     * @param count   its bids in the window.
     * @return this.
     */
    public MaxCount add(final long auction, final long count)
    {
        if (count > max)
        {
            max = count;
            size = 0;
        }
        if (count == max)
        {
            if (size == auctions.length)
            {
                auctions = Arrays.copyOf(auctions, size * 2);
            }
            auctions[size++] = auction;
        }
        return this;
    }

    /**
     * @param other another part of the window; left as it is.
     * @return this.
     */
    public MaxCount merge(final MaxCount other)
    {
        for (int i = 0; i < other.size; i++)
        {
            add(other.auctions[i], other.max);
        }
        return this;
    }

    /**
     * @return the greatest count; -1 if none was added.
     */
    public long max()
    {
        return max;
    }

    /**
     * @return how many auctions have it.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param index which of them, from 0.
     * @return that auction.
     */
    public long auction(final int index)
    {
        return auctions[index];
    }
}
