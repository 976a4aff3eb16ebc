package io.tidemark.bench.nexmark.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The accumulator of query 7: the highest price of a window, and every bid at that price.
 * Shared by both sides of the benchmark.
 */
public final class HighestBids
{
    private final List<Bid> bids = new ArrayList<>(2);
    private long price = Long.MIN_VALUE;

    /**
     * @param bid a bid of the window.
     * @return this.
     */
    public HighestBids add(final Bid bid)
    {
        if (bid.price > price)
        {
            price = bid.price;
            bids.clear();
        }
        if (bid.price == price)
        {
            bids.add(bid);
        }
        return this;
    }

    /**
     * @param other another part of the window; left as it is.
     * @return this.
     */
    public HighestBids merge(final HighestBids other)
    {
        for (final Bid bid : other.bids)
        {
            add(bid);
        }
        return this;
    }

    /**
     * @return the bids at the highest price, in the order they came.
     */
    public List<Bid> bids()
    {
        return bids;
    }
}
