package io.tidemark.bench.nexmark.model;

/**
 * A result of query 17: the bids on one auction on one day.
 *
 * @param auction   the auction.
 * @param day       the day, {@code yyyy-MM-dd} (UTC).
 * @param bids      the bids.
 * @param rank1Bids the bids below 100 dollars.
 * @param rank2Bids the bids from 100 to below 10,000 dollars.
 * @param rank3Bids the bids from 10,000 dollars.
 * @param minPrice  the lowest price, in cents.
 * @param maxPrice  the highest price.
 * @param avgPrice  the mean price, rounded down.
 * @param sumPrice  the prices added up.
 */
public record AuctionDayStats(long auction, String day, long bids, long rank1Bids, long rank2Bids, long rank3Bids, long minPrice, long maxPrice,
    long avgPrice, long sumPrice)
{
}
