package io.tidemark.bench.nexmark.model;

/**
 * What queries 4 and 6 need of an auction that closed with a winning bid: its figures and the
 * winning price, none of its text. The benchmark's SQL for those queries reads no other
 * column, so a planner keeps no other; holding whole auctions and bids instead (query 9's
 * {@link AuctionBid}) would keep every open auction's strings on the heap for nothing.
 *
 * @param auction  the auction's id.
 * @param seller   its seller: a {@link Person#id}.
 * @param category its category.
 * @param expires  when it closed.
 * @param price    the winning bid's price, in cents.
 */
public record WinningPrice(long auction, long seller, long category, long expires, long price)
{
}
