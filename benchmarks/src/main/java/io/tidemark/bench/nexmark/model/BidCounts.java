package io.tidemark.bench.nexmark.model;

/**
 * The counts of queries 15 and 16 over a group of bids: bids, distinct bidders and distinct
 * auctions, in all and per price rank (rank 1 below 100 dollars, rank 2 below 10,000, rank 3
 * the rest).
 *
 * @param bids           the bids.
 * @param rank1Bids      the bids of rank 1.
 * @param rank2Bids      the bids of rank 2.
 * @param rank3Bids      the bids of rank 3.
 * @param bidders        the distinct bidders.
 * @param rank1Bidders   the distinct bidders of rank-1 bids.
 * @param rank2Bidders   the distinct bidders of rank-2 bids.
 * @param rank3Bidders   the distinct bidders of rank-3 bids.
 * @param auctions       the distinct auctions.
 * @param rank1Auctions  the distinct auctions of rank-1 bids.
 * @param rank2Auctions  the distinct auctions of rank-2 bids.
 * @param rank3Auctions  the distinct auctions of rank-3 bids.
 */
public record BidCounts(long bids, long rank1Bids, long rank2Bids, long rank3Bids, long bidders, long rank1Bidders, long rank2Bidders, long rank3Bidders,
    long auctions, long rank1Auctions, long rank2Auctions, long rank3Auctions)
{
    /** Prices below this, in cents, are of rank 1. */
    public static final long RANK2_FROM = 10_000;
    /** Prices from this, in cents, are of rank 3. */
    public static final long RANK3_FROM = 1_000_000;

    /**
     * @param price a price, in cents.
     * @return its rank: 1, 2 or 3.
     */
    public static int rank(final long price)
    {
        return price < RANK2_FROM ? 1 : price < RANK3_FROM ? 2 : 3;
    }
}
