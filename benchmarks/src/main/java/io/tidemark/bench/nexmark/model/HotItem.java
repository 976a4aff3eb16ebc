package io.tidemark.bench.nexmark.model;

/**
 * A result of query 5: an auction with the most bids of a sliding window (one of several on a
 * tie).
 *
 * @param auction     the auction.
 * @param bids        its bids in the window: the window's most.
 * @param windowStart the window's first millisecond.
 * @param windowEnd   the first millisecond after it.
 */
public record HotItem(long auction, long bids, long windowStart, long windowEnd)
{
}
