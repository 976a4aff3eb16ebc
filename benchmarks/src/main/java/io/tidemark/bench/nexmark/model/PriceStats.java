package io.tidemark.bench.nexmark.model;

/**
 * The accumulator of query 17: counts per price rank, and the least, greatest and summed
 * price. Shared by both sides of the benchmark.
 */
public final class PriceStats
{
    private final long[] bids = new long[4];
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private long sum;

    /**
     * @param bid a bid to count.
     * @return this.
     */
    public PriceStats add(final Bid bid)
    {
        bids[0]++;
        bids[BidCounts.rank(bid.price)]++;
        min = Math.min(min, bid.price);
        max = Math.max(max, bid.price);
        sum += bid.price;
        return this;
    }

    /**
     * @param other counts to add in; left as they are.
     * @return this.
     */
    public PriceStats merge(final PriceStats other)
    {
        for (int i = 0; i < 4; i++)
        {
            bids[i] += other.bids[i];
        }
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
        return this;
    }

    /**
     * @param auction the auction counted.
     * @param day     the day counted.
     * @return the result.
     */
    public AuctionDayStats result(final long auction, final String day)
    {
        return new AuctionDayStats(auction, day, bids[0], bids[1], bids[2], bids[3], min, max, sum / bids[0], sum);
    }
}
