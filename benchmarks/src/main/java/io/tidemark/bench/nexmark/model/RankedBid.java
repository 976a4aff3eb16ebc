package io.tidemark.bench.nexmark.model;

/**
 * A result of query 19: a bid that entered its auction's top 10, with the rank it entered at.
 * The bids held at that rank and below move down one (the 10th leaves), so an auction's
 * results, replayed in order, give its top 10 at each point, and its last one.
 *
 * @param bid  the bid.
 * @param rank its rank when it entered, from 1 (the highest) to {@link TopBids#SIZE}.
 */
public record RankedBid(Bid bid, int rank)
{
}
