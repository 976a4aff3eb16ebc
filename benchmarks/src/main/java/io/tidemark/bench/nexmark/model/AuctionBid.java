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
     * @param opened   when an auction opened.
     * @param expires  when it closes.
     * @param dateTime when a bid on it was made.
     * @return whether the bid was made while the auction was open, its ends included, so that it can win.
     */
    public static boolean inTime(final long opened, final long expires, final long dateTime)
    {
        return dateTime >= opened && dateTime <= expires;
    }

    /**
     * The benchmark orders an auction's bids by price, highest first, then by time, earliest
     * first; the bidder breaks the rare tie of both, so that the winner does not depend on the
     * order the bids arrive in.
     *
     * @param price      a bid's price.
     * @param dateTime   its time.
     * @param bidder     its bidder.
     * @param bestPrice  the best bid's price.
     * @param bestTime   its time.
     * @param bestBidder its bidder.
     * @return whether the bid beats the best.
     */
    public static boolean beats(final long price, final long dateTime, final long bidder, final long bestPrice, final long bestTime, final long bestBidder)
    {
        if (price != bestPrice)
        {
            return price > bestPrice;
        }
        return dateTime != bestTime ? dateTime < bestTime : bidder < bestBidder;
    }
}
