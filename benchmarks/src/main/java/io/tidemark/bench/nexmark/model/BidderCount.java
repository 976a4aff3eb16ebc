package io.tidemark.bench.nexmark.model;

/**
 * A result of queries 11 and 12: how many bids a bidder made in a window (a session, or a
 * processing-time window).
 *
 * @param bidder      the bidder.
 * @param bids        the bids.
 * @param windowStart the window's first millisecond.
 * @param windowEnd   the first millisecond after it.
 */
public record BidderCount(long bidder, long bids, long windowStart, long windowEnd)
{
}
