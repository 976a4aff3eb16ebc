package io.tidemark.bench.nexmark.model;

/**
 * A result of query 2: a bid's auction and price.
 *
 * @param auction the auction.
 * @param price   the price bid, in cents.
 */
public record AuctionPrice(long auction, long price)
{
}
