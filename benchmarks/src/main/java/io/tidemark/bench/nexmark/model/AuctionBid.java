package io.tidemark.bench.nexmark.model;

/**
 * An auction and one bid on it: the winning bid (queries 9, 4 and 6) or every bid on an
 * auction of a category (query 20).
 *
 * @param auction the auction.
 * @param bid     the bid.
 */
public record AuctionBid(Auction auction, Bid bid)
{
    /**
     * @param auction an auction.
     * @param bid     a bid on it.
     * @return whether the bid was made while the auction was open, its ends included, so that it can win.
     */
    public static boolean inTime(final Auction auction, final Bid bid)
    {
        return bid.dateTime >= auction.dateTime && bid.dateTime <= auction.expires;
    }

    /**
     * The benchmark orders an auction's bids by price, highest first, then by time, earliest
     * first; the bidder breaks the rare tie of both, so that the winner does not depend on the
     * order the bids arrive in.
     *
     * @param bid  a bid.
     * @param best the best bid so far, or null.
     * @return whether {@code bid} beats {@code best}.
     */
    public static boolean beats(final Bid bid, final Bid best)
    {
        if (best == null || bid.price != best.price)
        {
            return best == null || bid.price > best.price;
        }
        return bid.dateTime != best.dateTime ? bid.dateTime < best.dateTime : bid.bidder < best.bidder;
    }
}
