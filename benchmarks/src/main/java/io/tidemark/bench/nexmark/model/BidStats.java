package io.tidemark.bench.nexmark.model;

/**
 * The accumulator of queries 15 and 16: counts of bids and the distinct bidders and auctions,
 * in all and per price rank, and the latest event time. The distinct ids of both kinds and
 * all ranks share one structure ({@link RankedDistincts}: a log in front of a sorted run), so
 * a bid costs two appends to one array, sorted and merged in batches; the bids are counted
 * in fields, not an array, to spare a bid another cache line. Shared by both sides of the
 * benchmark.
 */
public final class BidStats
{
    private long bids;
    private long rank1Bids;
    private long rank2Bids;
    private long rank3Bids;
    private final RankedDistincts distincts = new RankedDistincts();
    private long latest = Long.MIN_VALUE;

    /**
     * @param bid a bid to count.
     * @return this.
     */
    public BidStats add(final Bid bid)
    {
        final int rank = BidCounts.rank(bid.price);
        bids++;
        switch (rank)
        {
            case 1 -> rank1Bids++;
            case 2 -> rank2Bids++;
            default -> rank3Bids++;
        }
        distincts.add(RankedDistincts.BIDDER, bid.bidder, rank);
        distincts.add(RankedDistincts.AUCTION, bid.auction, rank);
        latest = Math.max(latest, bid.dateTime);
        return this;
    }

    /**
     * @param other counts to add in; left as they are.
     * @return this.
     */
    public BidStats merge(final BidStats other)
    {
        bids += other.bids;
        rank1Bids += other.rank1Bids;
        rank2Bids += other.rank2Bids;
        rank3Bids += other.rank3Bids;
        distincts.addAll(other.distincts);
        latest = Math.max(latest, other.latest);
        return this;
    }

    /**
     * @return the counts.
     */
    public BidCounts counts()
    {
        final long[] d = distincts.counts();
        return new BidCounts(bids, rank1Bids, rank2Bids, rank3Bids, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
    }

    /**
     * @return the latest event time of the bids counted.
     */
    public long latest()
    {
        return latest;
    }
}
