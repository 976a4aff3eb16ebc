package io.tidemark.bench.nexmark.model;

import org.agrona.collections.LongHashSet;

/**
 * The accumulator of queries 15 and 16: counts of bids and sets of bidders and auctions, in
 * all and per price rank, and the latest event time. Primitive sets, so a bid costs no
 * allocation once the sets have grown. Shared by both sides of the benchmark.
 */
public final class BidStats
{
    private final long[] bids = new long[4];
    private final LongHashSet[] bidders = sets();
    private final LongHashSet[] auctions = sets();
    private long latest = Long.MIN_VALUE;

    /**
     * @param bid a bid to count.
     * @return this.
     */
    public BidStats add(final Bid bid)
    {
        final int rank = BidCounts.rank(bid.price);
        bids[0]++;
        bids[rank]++;
        bidders[0].add(bid.bidder);
        bidders[rank].add(bid.bidder);
        auctions[0].add(bid.auction);
        auctions[rank].add(bid.auction);
        latest = Math.max(latest, bid.dateTime);
        return this;
    }

    /**
     * @param other counts to add in; left as they are.
     * @return this.
     */
    public BidStats merge(final BidStats other)
    {
        for (int i = 0; i < 4; i++)
        {
            bids[i] += other.bids[i];
            bidders[i].addAll(other.bidders[i]);
            auctions[i].addAll(other.auctions[i]);
        }
        latest = Math.max(latest, other.latest);
        return this;
    }

    /**
     * @return the counts.
     */
    public BidCounts counts()
    {
        return new BidCounts(bids[0], bids[1], bids[2], bids[3], bidders[0].size(), bidders[1].size(), bidders[2].size(), bidders[3].size(),
            auctions[0].size(), auctions[1].size(), auctions[2].size(), auctions[3].size());
    }

    /**
     * @return the latest event time of the bids counted.
     */
    public long latest()
    {
        return latest;
    }

    private static LongHashSet[] sets()
    {
        final LongHashSet[] sets = new LongHashSet[4];
        for (int i = 0; i < sets.length; i++)
        {
            sets[i] = new LongHashSet();
        }
        return sets;
    }
}
